/// The hyper-parameters of a Llama-architecture model, as the analysis settled them from the
/// shapes and the declared metadata.
public struct LlamaHyperParameters: Sendable, Equatable {
    public var layers: Int
    /// Model (embedding) dimension.
    public var dim: Int
    /// Query heads.
    public var heads: Int
    /// Key/value heads: fewer than `heads` under grouped-query attention.
    public var kvHeads: Int
    public var headDim: Int
    /// Hidden size of the SwiGLU feed-forward block.
    public var ffn: Int
    public var vocab: Int
    /// No separate output matrix: the embedding is reused (Llama 3.2 1B/3B).
    public var tied: Bool
    public var contextLength: Int?
    public var ropeTheta: Double?
    /// Llama 3.1 rope scaling as config.json states it.
    public var ropeScaling: RopeScaling?
    /// llama.cpp's form of the same: a `rope_freqs` tensor with this many divisors (head_dim / 2).
    public var ropeFrequencyTable: Int?
    public var rmsNormEpsilon: Double?

    public init(
        layers: Int, dim: Int, heads: Int, kvHeads: Int, headDim: Int, ffn: Int, vocab: Int, tied: Bool,
        contextLength: Int? = nil, ropeTheta: Double? = nil, ropeScaling: RopeScaling? = nil,
        ropeFrequencyTable: Int? = nil, rmsNormEpsilon: Double? = nil
    ) {
        self.layers = layers
        self.dim = dim
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.ffn = ffn
        self.vocab = vocab
        self.tied = tied
        self.contextLength = contextLength
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.ropeFrequencyTable = ropeFrequencyTable
        self.rmsNormEpsilon = rmsNormEpsilon
    }

    /// Whether heads x head_dim fill dim exactly: the head width llama.cpp assumes when a GGUF
    /// states no `attention.key_length` (config.json's `head_dim` may say otherwise).
    public static func headDimIsDimOverHeads(headDim: Int, heads: Int, dim: Int) -> Bool {
        let queryWidth = headDim.multipliedReportingOverflow(by: heads)
        return !queryWidth.overflow && queryWidth.partialValue == dim
    }

    /// True when the rope is scaled the Llama 3.1 way, in either form.
    public var hasRopeScaling: Bool { ropeScaling != nil || ropeFrequencyTable != nil }

    /// How many query heads share each KV head: also how many times smaller the KV cache is
    /// than with full multi-head attention.
    public var queryHeadsPerKVHead: Int { kvHeads > 0 ? heads / kvHeads : 0 }
}
