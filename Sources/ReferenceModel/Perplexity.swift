import Glibc
import ModelIO

/// Perplexity by llama.cpp's rule (its perplexity tool), so figures compare with published ones:
/// the ids are cut into non-overlapping windows of `context` tokens (a remainder shorter than a
/// window is dropped); each window's first id is replaced by BOS and the window is evaluated from
/// an empty cache; only its second half is scored, the logits at positions context/2 ..< context-1
/// each predicting the next id, so every scored token has at least context/2 tokens before it.
public struct PerplexityRun: Sendable {
    public let context: Int
    public let beginOfText: Int

    public struct Window: Sendable, Equatable {
        public var index: Int
        /// Negative log-likelihood summed over this window's scored tokens.
        public var negativeLogLikelihood: Double
        public var scoredTokens: Int
    }

    public struct Result: Sendable, Equatable {
        public var perplexity: Double
        public var windows: Int
        public var scoredTokens: Int
    }

    public init(context: Int, beginOfText: Int) {
        self.context = context
        self.beginOfText = beginOfText
    }

    /// The windows `ids` makes; fewer than 2 x context ids is an error, as in llama.cpp.
    public func windows(_ ids: [Int], source: String) throws -> [[Int]] {
        guard context >= 4 else { throw FileError(file: source, "expected a context of at least 4 tokens, got \(context)") }
        guard ids.count >= 2 * context else {
            throw FileError(
                file: source,
                "has \(ids.count) tokens; perplexity with a context of \(context) needs at least \(2 * context) (two windows), as llama.cpp's does")
        }
        return (0..<(ids.count / context)).map { window in
            var piece = Array(ids[(window * context)..<((window + 1) * context)])
            piece[0] = beginOfText
            return piece
        }
    }

    /// Scores one window's logits [context, vocab] against its ids.
    public func score(window index: Int, ids: [Int], logits: Matrix) -> Window {
        var nll = 0.0
        for position in (context / 2)..<(context - 1) {
            nll -= LogitStatistics.logProbabilities(logits.row(position))[ids[position + 1]]
        }
        return Window(index: index, negativeLogLikelihood: nll, scoredTokens: context - 1 - context / 2)
    }

    /// Runs every window through `model`, calling `progress` with the running result after each.
    public func run(
        _ ids: [Int], model: LlamaModel, threads: Int, source: String, progress: (Result) throws -> Void = { _ in }
    ) throws -> Result {
        var nll = 0.0, scored = 0
        var result = Result(perplexity: .nan, windows: 0, scoredTokens: 0)
        for (index, window) in try windows(ids, source: source).enumerated() {
            var session = InferenceSession(model: model, threads: threads)
            let scoredWindow = score(window: index, ids: window, logits: try session.evaluate(window))
            nll += scoredWindow.negativeLogLikelihood
            scored += scoredWindow.scoredTokens
            result = Result(perplexity: exp(nll / Double(scored)), windows: index + 1, scoredTokens: scored)
            try progress(result)
        }
        return result
    }
}
