import LlamaLayout
import ModelFiles
import ModelIO

/// One transformer block's weights, in the file's memory map.
struct LayerWeights: Sendable {
    let attentionNorm: [Float]        // [dim]
    let query: WeightMatrix           // [heads x head_dim, dim]
    let key: WeightMatrix             // [kv_heads x head_dim, dim]
    let value: WeightMatrix           // [kv_heads x head_dim, dim]
    let attentionOutput: WeightMatrix // [dim, heads x head_dim]
    let feedForwardNorm: [Float]      // [dim]
    let gate: WeightMatrix            // [ffn, dim]
    let up: WeightMatrix              // [ffn, dim]
    let down: WeightMatrix            // [dim, ffn]
}

/// Every weight of a Llama model, found by its part of the layout in whichever naming the file
/// uses, each checked against the shape the hyper-parameters give it.
struct LlamaWeights: Sendable {
    let tokenEmbedding: WeightMatrix  // [vocab, dim]
    let layers: [LayerWeights]
    let outputNorm: [Float]           // [dim]
    /// [vocab, dim]: the output matrix, or the embedding itself when they are tied.
    let output: WeightMatrix
    /// llama.cpp's Llama 3.1 rope scaling divisors, [head_dim / 2], when the file has them.
    let ropeFrequencies: [Float]?

    init(file: ModelFile, naming: TensorNaming, hyper h: LlamaHyperParameters) throws {
        let byName = Dictionary(file.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func tensor(_ part: LlamaTensorName) throws -> ModelTensor {
            let name = part.name(in: naming) ?? part.description
            guard let tensor = byName[name] else { throw FileError(file: file.path, "expected a tensor \(name); the file has none") }
            return tensor
        }
        func matrix(_ part: LlamaTensorName, _ rows: Int, _ columns: Int) throws -> WeightMatrix {
            try WeightMatrix(try tensor(part), rows: rows, columns: columns)
        }
        func vector(_ part: LlamaTensorName, _ count: Int) throws -> [Float] {
            try WeightMatrix(vector: try tensor(part), count: count).row(0)
        }
        let (q, kv) = (h.heads * h.headDim, h.kvHeads * h.headDim)
        tokenEmbedding = try matrix(.tokenEmbedding, h.vocab, h.dim)
        layers = try (0..<h.layers).map { index in
            LayerWeights(
                attentionNorm: try vector(.layer(index, .attentionNorm), h.dim),
                query: try matrix(.layer(index, .query), q, h.dim),
                key: try matrix(.layer(index, .key), kv, h.dim),
                value: try matrix(.layer(index, .value), kv, h.dim),
                attentionOutput: try matrix(.layer(index, .attentionOutput), h.dim, q),
                feedForwardNorm: try vector(.layer(index, .feedForwardNorm), h.dim),
                gate: try matrix(.layer(index, .gate), h.ffn, h.dim),
                up: try matrix(.layer(index, .up), h.ffn, h.dim),
                down: try matrix(.layer(index, .down), h.dim, h.ffn))
        }
        outputNorm = try vector(.outputNorm, h.dim)
        output = h.tied ? tokenEmbedding : try matrix(.output, h.vocab, h.dim)
        ropeFrequencies = try h.ropeFrequencyTable.map { _ in try vector(.ropeFrequencies, h.headDim / 2) }
    }
}
