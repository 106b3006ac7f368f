import ModelIO

/// What the Llama analysis needs to know about a model file: tensor names, shapes, dtypes and
/// sizes, and the declared hyper-parameters. It never needs tensor data, so inspecting a
/// 140 GB file costs what reading its header costs.
public struct LayoutInput: Sendable {
    public struct Tensor: Sendable, Equatable {
        public var name: String
        /// Row-major, outermost first (numpy order): q_proj of Llama 3 8B is [4096, 4096].
        public var shape: [Int]
        /// The format's dtype name as inspect prints it ("BF16", "Q8_0", "F32").
        public var dtype: String
        /// Stored bytes of the tensor's data.
        public var bytes: Int

        public init(name: String, shape: [Int], dtype: String, bytes: Int) {
            self.name = name
            self.shape = shape
            self.dtype = dtype
            self.bytes = bytes
        }

        /// Element count, nil when it overflows (a lying header).
        public var elements: Int? { checkedElementCount(shape) }
    }

    public var tensors: [Tensor]
    /// Hyper-parameters as the file (GGUF llama.* keys) or config.json beside it states them.
    public var declared: DeclaredHyperParameters
    /// Where the vocabulary and chat template are, or nil when the file has none (a warning).
    public var tokenizer: String?
    public var chatTemplate: String?
    /// The values of `rope_freqs.weight` when it is a small F32 tensor: they tell which rope
    /// scaling a GGUF uses (GGUF has no keys for it).
    public var ropeFrequencyValues: [Float]?

    public init(
        tensors: [Tensor], declared: DeclaredHyperParameters = DeclaredHyperParameters(),
        tokenizer: String? = nil, chatTemplate: String? = nil, ropeFrequencyValues: [Float]? = nil
    ) {
        self.tensors = tensors
        self.declared = declared
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
        self.ropeFrequencyValues = ropeFrequencyValues
    }

    /// True when the layout checks apply: some tensor is a Llama layer tensor (Docs/INSPECT.md).
    public var hasLlamaLayers: Bool {
        tensors.contains { LlamaTensorName($0.name)?.layerIndex != nil }
    }
}
