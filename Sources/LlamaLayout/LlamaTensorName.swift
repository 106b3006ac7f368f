/// The three ways Llama checkpoints name their tensors.
public enum TensorNaming: String, Sendable, CaseIterable {
    /// llama.cpp's GGUF names: `token_embd.weight`, `blk.N.attn_q.weight`, ...
    case gguf
    /// Hugging Face transformers' names: `model.embed_tokens.weight`, `model.layers.N.self_attn.q_proj.weight`, ...
    case huggingFace = "hf"
    /// Meta's reference code (consolidated.NN.pth): `tok_embeddings.weight`, `layers.N.attention.wq.weight`, ...
    case meta

    /// How messages name the naming: "GGUF", "Hugging Face", "Meta".
    public var label: String {
        switch self {
        case .gguf: "GGUF"
        case .huggingFace: "Hugging Face"
        case .meta: "Meta"
        }
    }

    /// The prefix of a layer's tensor names: `blk.N.`, `model.layers.N.`, `layers.N.`.
    var layerPrefix: String {
        switch self {
        case .gguf: "blk."
        case .huggingFace: "model.layers."
        case .meta: "layers."
        }
    }
}

/// A tensor of one transformer block, by its job.
public enum LlamaLayerTensor: String, CaseIterable, Sendable {
    case attentionNorm, query, key, value, attentionOutput, feedForwardNorm, gate, up, down

    /// `blk.N.<stem>.weight`
    public var ggufStem: String {
        switch self {
        case .attentionNorm: "attn_norm"
        case .query: "attn_q"
        case .key: "attn_k"
        case .value: "attn_v"
        case .attentionOutput: "attn_output"
        case .feedForwardNorm: "ffn_norm"
        case .gate: "ffn_gate"
        case .up: "ffn_up"
        case .down: "ffn_down"
        }
    }

    /// `layers.N.<stem>.weight` in Meta's checkpoints.
    public var metaStem: String {
        switch self {
        case .attentionNorm: "attention_norm"
        case .query: "attention.wq"
        case .key: "attention.wk"
        case .value: "attention.wv"
        case .attentionOutput: "attention.wo"
        case .feedForwardNorm: "ffn_norm"
        case .gate: "feed_forward.w1"
        case .up: "feed_forward.w3"
        case .down: "feed_forward.w2"
        }
    }

    func stem(in naming: TensorNaming) -> String {
        switch naming {
        case .gguf: ggufStem
        case .huggingFace: huggingFaceStem
        case .meta: metaStem
        }
    }

    /// `model.layers.N.<stem>.weight`
    public var huggingFaceStem: String {
        switch self {
        case .attentionNorm: "input_layernorm"
        case .query: "self_attn.q_proj"
        case .key: "self_attn.k_proj"
        case .value: "self_attn.v_proj"
        case .attentionOutput: "self_attn.o_proj"
        case .feedForwardNorm: "post_attention_layernorm"
        case .gate: "mlp.gate_proj"
        case .up: "mlp.up_proj"
        case .down: "mlp.down_proj"
        }
    }
}

/// A tensor of the Llama layout, independent of how the file names it.
public enum LlamaTensorName: Hashable, Sendable, CustomStringConvertible {
    case tokenEmbedding      // [vocab, dim]
    case outputNorm          // [dim]
    case output              // [vocab, dim]; absent when tied to the embedding
    /// llama.cpp's Llama 3.1 rope scaling: head_dim/2 frequency divisors, F32. GGUF only.
    case ropeFrequencies     // [head_dim / 2]
    case layer(Int, LlamaLayerTensor)

    /// Largest layer index accepted in a name; Llama 3.1 405B has 126 layers. A bigger number is
    /// treated as a stray name rather than a reason to reason about millions of layers.
    public static let maximumLayerIndex = 9_999

    /// Reads a name in any naming; nil for a name that is not part of the Llama layout.
    public init?(_ name: String) {
        if let parsed = Self.parse(name, naming: .gguf) ?? Self.parse(name, naming: .huggingFace) ?? Self.parse(name, naming: .meta) {
            self = parsed
        } else {
            return nil
        }
    }

    /// Reads a name in one naming only.
    public static func parse(_ name: String, naming: TensorNaming) -> LlamaTensorName? {
        for whole in [LlamaTensorName.tokenEmbedding, .outputNorm, .output, .ropeFrequencies]
        where whole.name(in: naming) == name {
            return whole
        }
        let prefix = naming.layerPrefix
        guard name.hasPrefix(prefix), name.hasSuffix(".weight") else { return nil }
        let middle = name.dropFirst(prefix.count).dropLast(".weight".count)
        guard let dot = middle.firstIndex(of: "."), let index = layerIndex(middle[..<dot]) else { return nil }
        let stem = middle[middle.index(after: dot)...]
        let tensor = LlamaLayerTensor.allCases.first { $0.stem(in: naming) == stem }
        return tensor.map { .layer(index, $0) }
    }

    /// The name in `naming`; nil where that naming has no such tensor (rope_freqs in HF).
    public func name(in naming: TensorNaming) -> String? {
        switch (self, naming) {
        case (.tokenEmbedding, .gguf): "token_embd.weight"
        case (.tokenEmbedding, .huggingFace): "model.embed_tokens.weight"
        case (.outputNorm, .gguf): "output_norm.weight"
        case (.outputNorm, .huggingFace): "model.norm.weight"
        case (.output, .gguf): "output.weight"
        case (.output, .huggingFace): "lm_head.weight"
        case (.ropeFrequencies, .gguf): "rope_freqs.weight"
        case (.ropeFrequencies, .huggingFace): nil
        case (.tokenEmbedding, .meta): "tok_embeddings.weight"
        case (.outputNorm, .meta): "norm.weight"
        case (.output, .meta): "output.weight"
        case (.ropeFrequencies, .meta): nil
        case (.layer(let index, let tensor), _): naming.layerPrefix + "\(index).\(tensor.stem(in: naming)).weight"
        }
    }

    /// The GGUF name: every Llama tensor has one.
    public var description: String { name(in: .gguf) ?? "" }

    public var layerIndex: Int? {
        if case .layer(let index, _) = self { return index }
        return nil
    }

    /// Canonical decimal only ("7", not "07" or "+7"), so each tensor has exactly one name.
    private static func layerIndex(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 4, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard text == "0" || text.first != "0", let value = Int(text), value <= maximumLayerIndex else { return nil }
        return value
    }
}

/// Maps a tensor name between the two namings.
public enum TensorNameMap {
    /// The GGUF name of an HF tensor; nil for a name outside the Llama layout.
    public static func ggufName(forHuggingFace name: String) -> String? {
        LlamaTensorName.parse(name, naming: .huggingFace)?.name(in: .gguf)
    }

    /// The HF name of a GGUF tensor; nil outside the Llama layout and for rope_freqs, which HF
    /// checkpoints do not store (they keep rope scaling in config.json).
    public static func huggingFaceName(forGGUF name: String) -> String? {
        LlamaTensorName.parse(name, naming: .gguf)?.name(in: .huggingFace)
    }

    /// Buffers older transformers saved beside the weights; not parameters, safe to drop.
    public static func isKnownHuggingFaceBuffer(_ name: String) -> Bool {
        name.hasPrefix("model.layers.") && name.hasSuffix(".self_attn.rotary_emb.inv_freq")
    }
}
