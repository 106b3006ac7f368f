import GGUF

extension LlamaHyperParameters {
    /// The `llama.*` keys llama.cpp needs to load the model, with the value types its converter
    /// (gguf-py's GGUFWriter) uses: counts as UINT32, theta and epsilon as FLOAT32. Conversions
    /// to GGUF write these; rope scaling goes into the `rope_freqs` tensor instead
    /// (`RopeScaling.frequencyFactors`). Values that do not fit a UINT32 are left out.
    ///
    /// llama.cpp takes a head's width from `attention.key_length` / `attention.value_length` and,
    /// when they are missing, from dim / heads: a model whose head_dim is not dim / heads (config.json's
    /// `head_dim`) needs both keys or llama.cpp rejects its q/k/v shapes. llama.cpp's converter writes
    /// them whenever config.json names a head_dim; here only when they are needed, so files whose
    /// head_dim is dim / heads keep the keys they always had.
    public func writeGGUFMetadata(into metadata: inout GGUFMetadata) {
        func count(_ key: String, _ value: Int?) {
            if let value, let stored = UInt32(exactly: value) { metadata.set("llama." + key, .uint32(stored)) }
        }
        metadata.set("general.architecture", .string("llama"))
        count("vocab_size", vocab)
        count("context_length", contextLength)
        count("embedding_length", dim)
        count("block_count", layers)
        count("feed_forward_length", ffn)
        count("rope.dimension_count", headDim)
        count("attention.head_count", heads)
        count("attention.head_count_kv", kvHeads)
        if !Self.headDimIsDimOverHeads(headDim: headDim, heads: heads, dim: dim) {
            count("attention.key_length", headDim)
            count("attention.value_length", headDim)
        }
        if let ropeTheta { metadata.set("llama.rope.freq_base", .float32(Float(ropeTheta))) }
        if let rmsNormEpsilon { metadata.set("llama.attention.layer_norm_rms_epsilon", .float32(Float(rmsNormEpsilon))) }
    }
}
