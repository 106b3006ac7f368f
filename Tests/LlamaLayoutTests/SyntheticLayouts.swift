import LlamaLayout

/// Tensor lists shaped like Llama checkpoints (names, shapes, dtypes, byte counts; no data),
/// written out by hand from the published sizes, for the analysis to judge.
struct SyntheticLayout {
    var layers: Int
    var dim: Int
    var heads: Int
    var kvHeads: Int
    var headDim: Int
    var ffn: Int
    var vocab = 128_256
    var tied = false
    var ropeFrequencies = false

    static let llama3_8B = SyntheticLayout(layers: 32, dim: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336)
    static let llama3_70B = SyntheticLayout(layers: 80, dim: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 28672)
    static let llama32_1B = SyntheticLayout(
        layers: 16, dim: 2048, heads: 32, kvHeads: 8, headDim: 64, ffn: 8192, tied: true)
    static let llama32_3B = SyntheticLayout(
        layers: 28, dim: 3072, heads: 24, kvHeads: 8, headDim: 128, ffn: 8192, tied: true)

    /// Shapes row-major, as numpy prints them; names in llama.cpp's order for GGUF.
    /// Matrices get `matrixDType` at `matrixBytes(elements)` bytes; 1-D tensors are F32, as llama.cpp keeps them.
    func tensors(
        naming: TensorNaming, matrixDType: String = "BF16", matrixBytes: (Int) -> Int = { $0 * 2 }
    ) -> [LayoutInput.Tensor] {
        let gguf = naming == .gguf
        func tensor(_ ggufName: String, _ hfName: String, _ shape: [Int]) -> LayoutInput.Tensor {
            let elements = shape.reduce(1, *)
            let (type, size) = shape.count == 1 ? ("F32", elements * 4) : (matrixDType, matrixBytes(elements))
            return LayoutInput.Tensor(name: gguf ? ggufName : hfName, shape: shape, dtype: type, bytes: size)
        }
        var list: [LayoutInput.Tensor] = []
        list.append(tensor("token_embd.weight", "model.embed_tokens.weight", [vocab, dim]))
        for n in 0..<layers {
            let b = "blk.\(n).", h = "model.layers.\(n)."
            list.append(tensor(b + "attn_norm.weight", h + "input_layernorm.weight", [dim]))
            list.append(tensor(b + "attn_q.weight", h + "self_attn.q_proj.weight", [heads * headDim, dim]))
            list.append(tensor(b + "attn_k.weight", h + "self_attn.k_proj.weight", [kvHeads * headDim, dim]))
            list.append(tensor(b + "attn_v.weight", h + "self_attn.v_proj.weight", [kvHeads * headDim, dim]))
            list.append(tensor(b + "attn_output.weight", h + "self_attn.o_proj.weight", [dim, heads * headDim]))
            list.append(tensor(b + "ffn_norm.weight", h + "post_attention_layernorm.weight", [dim]))
            list.append(tensor(b + "ffn_gate.weight", h + "mlp.gate_proj.weight", [ffn, dim]))
            list.append(tensor(b + "ffn_up.weight", h + "mlp.up_proj.weight", [ffn, dim]))
            list.append(tensor(b + "ffn_down.weight", h + "mlp.down_proj.weight", [dim, ffn]))
        }
        list.append(tensor("output_norm.weight", "model.norm.weight", [dim]))
        if !tied { list.append(tensor("output.weight", "lm_head.weight", [vocab, dim])) }
        if ropeFrequencies && gguf { list.append(tensor("rope_freqs.weight", "", [headDim / 2])) }
        return list
    }

    /// The llama.* keys llama.cpp's converter writes.
    func ggufMetadata(contextLength: Int = 8192) -> [String: MetadataScalar] {
        [
            "general.architecture": .string("llama"),
            "llama.block_count": .unsigned(UInt64(layers)),
            "llama.embedding_length": .unsigned(UInt64(dim)),
            "llama.attention.head_count": .unsigned(UInt64(heads)),
            "llama.attention.head_count_kv": .unsigned(UInt64(kvHeads)),
            "llama.rope.dimension_count": .unsigned(UInt64(headDim)),
            "llama.feed_forward_length": .unsigned(UInt64(ffn)),
            "llama.context_length": .unsigned(UInt64(contextLength)),
            "llama.rope.freq_base": .float(500_000),
            "llama.attention.layer_norm_rms_epsilon": .float(1e-5),
            "llama.vocab_size": .unsigned(UInt64(vocab)),
        ]
    }

    func input(naming: TensorNaming = .gguf, metadata: [String: MetadataScalar]? = nil) -> LayoutInput {
        let declared = DeclaredHyperParameters.fromGGUF { (metadata ?? ggufMetadata())[$0] }
        return LayoutInput(
            tensors: tensors(naming: naming), declared: declared, tokenizer: "tokenizer.ggml.tokens",
            chatTemplate: "tokenizer.chat_template")
    }
}
