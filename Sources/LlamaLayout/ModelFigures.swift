/// Tensors of one dtype: how many, how many parameters, how many stored bytes.
public struct DTypeShare: Sendable, Equatable {
    public var dtype: String
    public var tensors: Int
    public var parameters: Int
    public var bytes: Int
}

/// What the KV cache costs per token of context.
///
/// Each layer caches one key and one value vector per KV head per token: 2 x layers x kv_heads x
/// head_dim elements. Grouped-query attention stores kv_heads instead of heads vectors, so the
/// cache is heads / kv_heads times smaller than with full multi-head attention.
public struct KVCacheFigures: Sendable, Equatable {
    /// The dtype of the attn_k weights, which the cache is priced at in `bytesPerToken`.
    public var dtype: String
    /// Bytes per token with elements stored as the attn_k/attn_v weights are (a Q8_0 file: 34 bytes per 32).
    public var bytesPerToken: Int
    /// Bytes per token at F16, llama.cpp's default cache type.
    public var f16BytesPerToken: Int
    /// Bytes per token at F32 (llama.cpp's `--cache-type-k f32 --cache-type-v f32`).
    public var f32BytesPerToken: Int { f16BytesPerToken.multipliedSaturated(2) }
    /// What full multi-head attention (kv_heads = heads) would need at F16.
    public var fullAttentionF16BytesPerToken: Int
    /// heads / kv_heads: 4 for Llama 3 8B, 8 for 70B.
    public var gqaSaving: Int
    /// F16 bytes for a full context window, when the context length is known.
    public var f16BytesAtContext: Int?
}

/// Parameters, sizes and memory of a Llama-layout file, from shapes and stored byte counts only.
public struct ModelFigures: Sendable, Equatable {
    /// Elements of every weight. rope_freqs (a table of constants llama.cpp stores for 3.1 rope
    /// scaling) and the rotary buffers older transformers saved are not parameters.
    public var parameters: Int
    /// Largest share first.
    public var sizeByDType: [DTypeShare]
    /// Stored bytes of all tensors: what loading the weights maps into memory.
    public var weightBytes: Int
    public var kvCache: KVCacheFigures?

    static func compute(tensors: [LayoutInput.Tensor], census: TensorCensus, model: LlamaHyperParameters) -> ModelFigures {
        var parameters = 0, weightBytes = 0
        var shares: [String: DTypeShare] = [:]
        var order: [String] = []
        for tensor in tensors {
            let elements = tensor.elements ?? 0
            weightBytes = weightBytes.addingSaturated(tensor.bytes)
            if shares[tensor.dtype] == nil { order.append(tensor.dtype) }
            var share = shares[tensor.dtype] ?? DTypeShare(dtype: tensor.dtype, tensors: 0, parameters: 0, bytes: 0)
            share.tensors += 1
            share.bytes = share.bytes.addingSaturated(tensor.bytes)
            if Self.isParameter(tensor.name) {
                parameters = parameters.addingSaturated(elements)
                share.parameters = share.parameters.addingSaturated(elements)
            }
            shares[tensor.dtype] = share
        }
        let sorted = order.compactMap { shares[$0] }.enumerated()
            .sorted { ($0.element.bytes, -$0.offset) > ($1.element.bytes, -$1.offset) }.map(\.element)
        return ModelFigures(
            parameters: parameters, sizeByDType: sorted, weightBytes: weightBytes,
            kvCache: kvCache(census: census, model: model))
    }

    static func isParameter(_ name: String) -> Bool {
        LlamaTensorName(name) != .ropeFrequencies && !TensorNameMap.isKnownHuggingFaceBuffer(name)
    }

    /// Priced at the dtype of the first attn_k weight: a row of weights takes its bytes / rows,
    /// and a cached element costs what a weight does, so a token costs 2 x layers x kv_heads x
    /// head_dim x row bytes / row length (exact for block types such as Q8_0, whose rows are whole blocks).
    static func kvCache(census: TensorCensus, model m: LlamaHyperParameters) -> KVCacheFigures? {
        guard m.kvHeads > 0, m.headDim > 0, m.dim > 0, m.layers > 0 else { return nil }
        guard let key = census.layerTensors(.key).first?.tensor, key.shape.count == 2, key.shape[0] > 0, key.shape[1] > 0
        else { return nil }
        let rowBytes = key.bytes / key.shape[0]
        let perToken = (2 * m.layers).multipliedSaturated(m.kvHeads).multipliedSaturated(m.headDim)
            .multipliedSaturated(rowBytes) / key.shape[1]

        let vectorsPerToken = 2 * m.layers  // one key and one value per layer
        let f16 = vectorsPerToken.multipliedSaturated(m.kvHeads).multipliedSaturated(m.headDim * 2)
        let full = vectorsPerToken.multipliedSaturated(m.heads).multipliedSaturated(m.headDim * 2)
        return KVCacheFigures(
            dtype: key.dtype, bytesPerToken: perToken, f16BytesPerToken: f16,
            fullAttentionF16BytesPerToken: full, gqaSaving: m.queryHeadsPerKVHead,
            f16BytesAtContext: m.contextLength.map { f16.multipliedSaturated($0) })
    }
}

extension Int {
    /// Sums of sizes from a lying header must not trap; Int.max is an obviously wrong answer.
    func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    func multipliedSaturated(_ other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
