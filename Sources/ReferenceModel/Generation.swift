import FoundationEssentials
import Glibc

/// Generating a continuation one token at a time, reusing the cache: the prompt goes through the
/// forward pass as one batch, then each chosen token is evaluated alone.
public struct Generation: Sendable {
    /// Greedy (the largest logit) when `temperature` is 0; otherwise sampling from
    /// softmax(logits / temperature) with a seeded generator, so a seed repeats its output.
    public var temperature: Double = 0
    public var seed: UInt64 = 0
    public var maxTokens: Int = 256
    /// Ids that end the generation (not emitted).
    public var stops: Set<Int> = []

    public struct Timing: Sendable {
        public var promptTokens = 0
        public var promptSeconds = 0.0
        public var generatedTokens = 0
        /// One-token forward passes after the prompt (the last token chosen is not evaluated).
        public var generationPasses = 0
        public var generationSeconds = 0.0
    }

    public init(temperature: Double = 0, seed: UInt64 = 0, maxTokens: Int = 256, stops: Set<Int> = []) {
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
        self.stops = stops
    }

    /// Runs `prompt` and then up to `maxTokens` tokens, handing each new id to `emit` as soon as
    /// it is chosen.
    public func run(_ prompt: [Int], session: inout InferenceSession, emit: (Int) throws -> Void) throws -> Timing {
        var timing = Timing()
        var generator = SeededGenerator(seed: seed)
        var start = Date()
        var logits = try session.evaluate(prompt, logits: .last)
        timing.promptTokens = prompt.count
        timing.promptSeconds = Date().timeIntervalSince(start)
        start = Date()
        while timing.generatedTokens < maxTokens {
            let next = choose(logits.row(0), generator: &generator)
            if stops.contains(next) { break }
            try emit(next)
            timing.generatedTokens += 1
            guard timing.generatedTokens < maxTokens else { break }
            logits = try session.evaluate([next], logits: .last)
            timing.generationPasses += 1
        }
        timing.generationSeconds = Date().timeIntervalSince(start)
        return timing
    }

    func choose(_ logits: ArraySlice<Float>, generator: inout SeededGenerator) -> Int {
        guard temperature > 0 else { return LogitStatistics.argmax(logits) }
        let scaled = logits.map { Float(Double($0) / temperature) }
        let probabilities = LogitStatistics.logProbabilities(scaled[...]).map { exp($0) }
        let draw = Double(generator.next() >> 11) * 0x1p-53  // uniform in [0, 1)
        var cumulative = 0.0
        for (id, probability) in probabilities.enumerated() {
            cumulative += probability
            if draw < cumulative { return id }
        }
        return probabilities.count - 1  // rounding left the total a hair under 1
    }
}

/// SplitMix64: a small, fixed sequence for a given seed, the same on every platform.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
