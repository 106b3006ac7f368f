/// A value a file states, with the key that states it, so that a disagreement can name the key.
public struct Declared<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value
    /// As the user would look it up: `llama.attention.head_count_kv`, `config.json num_key_value_heads`.
    public var key: String

    public init(_ value: Value, key: String) {
        self.value = value
        self.key = key
    }
}

/// Llama 3.1's rope scaling ("rope_type": "llama3" in config.json).
public struct RopeScaling: Sendable, Equatable {
    public var factor: Double
    public var lowFrequencyFactor: Double
    public var highFrequencyFactor: Double
    public var originalContextLength: Int

    public init(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double, originalContextLength: Int) {
        self.factor = factor
        self.lowFrequencyFactor = lowFrequencyFactor
        self.highFrequencyFactor = highFrequencyFactor
        self.originalContextLength = originalContextLength
    }

    /// Llama 3.1 8B/70B/405B.
    public static let llama31 = RopeScaling(
        factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContextLength: 8192)
    /// Llama 3.2 1B/3B.
    public static let llama32 = RopeScaling(
        factor: 32, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContextLength: 8192)
}

/// The hyper-parameters a file's metadata states (GGUF `llama.*` keys or HF config.json); any may be missing.
public struct DeclaredHyperParameters: Sendable, Equatable {
    public var architecture: Declared<String>?
    public var layers: Declared<Int>?
    public var dim: Declared<Int>?
    public var heads: Declared<Int>?
    public var kvHeads: Declared<Int>?
    public var headDim: Declared<Int>?
    /// GGUF `attention.value_length`: a value head's width, which the Llama layout has equal to head_dim.
    public var valueHeadDim: Declared<Int>?
    public var ffn: Declared<Int>?
    public var vocab: Declared<Int>?
    /// Entries of the embedded vocabulary (GGUF `tokenizer.ggml.tokens`): llama.cpp sizes the
    /// embedding by it, so it must equal the embedding's rows.
    public var tokenCount: Declared<Int>?
    public var contextLength: Declared<Int>?
    public var ropeTheta: Declared<Double>?
    public var ropeScaling: Declared<RopeScaling>?
    public var tied: Declared<Bool>?
    public var rmsNormEpsilon: Declared<Double>?
    /// Where these came from, for the report: "GGUF metadata", "config.json".
    public var origin: String?
    /// Keys present with a value of the wrong type (a string head count); they count as problems.
    public var typeProblems: [MetadataTypeProblem] = []

    public init() {}
}
