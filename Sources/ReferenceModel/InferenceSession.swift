import Glibc
import ModelIO

/// One sequence being evaluated: the model and the cache of everything evaluated so far.
///
/// `evaluate` runs a batch of tokens through the forward pass (all of a prompt at once, or one
/// generated token) and returns their logits; each call continues where the last one stopped.
public struct InferenceSession: Sendable {
    public let model: LlamaModel
    public let threads: Int
    private var cache: KVCache

    /// Which logits a call returns: every position's (logits, compare, perplexity) or only the
    /// last one (generation, which skips the output product for the others).
    public enum LogitRows: Sendable { case all, last }

    public init(model: LlamaModel, threads: Int = defaultThreadCount) {
        self.model = model
        self.threads = max(1, threads)
        let h = model.hyperParameters
        cache = KVCache(layers: h.layers, width: h.kvHeads * h.headDim)
    }

    /// Tokens evaluated so far: the position of the next one.
    public var position: Int { cache.length }

    /// The forward pass over `tokens` at positions position ..< position + tokens.count:
    /// logits [tokens or 1, vocab].
    public mutating func evaluate(_ tokens: [Int], logits rows: LogitRows = .all) throws -> Matrix {
        let h = model.hyperParameters, w = model.weights
        if let bad = tokens.first(where: { $0 < 0 || $0 >= h.vocab }) {
            throw FileError(file: model.path, "token id \(bad) is outside the model's vocabulary of \(h.vocab) ids")
        }
        guard !tokens.isEmpty else { return Matrix(rows: 0, columns: h.vocab) }
        let first = cache.length
        let angles = model.rotary.angles(positions: first..<(first + tokens.count))

        // Token embedding: one row of the embedding matrix per token. x: [tokens, dim]
        var x = Matrix(rows: tokens.count, columns: h.dim, values: tokens.flatMap { w.tokenEmbedding.row($0) })

        for (index, layer) in w.layers.enumerated() {
            // Attention block: norm, q/k/v projections, RoPE on q and k, GQA over the cache, output projection.
            let normed = RMSNorm.apply(x, weight: layer.attentionNorm, epsilon: model.normEpsilon)
            var q = try layer.query.multiply(normed, threads: threads)  // [tokens, heads x head_dim]
            var k = try layer.key.multiply(normed, threads: threads)    // [tokens, kv_heads x head_dim]
            let v = try layer.value.multiply(normed, threads: threads)  // [tokens, kv_heads x head_dim]
            model.rotary.rotate(&q, heads: h.heads, angles: angles)
            model.rotary.rotate(&k, heads: h.kvHeads, angles: angles)
            cache.append(layer: index, keys: k, values: v)
            let attended = try model.attention.attend(
                queries: q, first: first, keys: cache.keys[index], values: cache.values[index], threads: threads)
            x.add(try layer.attentionOutput.multiply(attended, threads: threads))  // residual

            // Feed-forward block (SwiGLU): norm, silu(gate) * up, down projection.
            let normedAgain = RMSNorm.apply(x, weight: layer.feedForwardNorm, epsilon: model.normEpsilon)
            var gate = try layer.gate.multiply(normedAgain, threads: threads)  // [tokens, ffn]
            let up = try layer.up.multiply(normedAgain, threads: threads)      // [tokens, ffn]
            for element in gate.values.indices {
                let g = gate.values[element]
                gate.values[element] = g / (1 + exp(-g)) * up.values[element]
            }
            x.add(try layer.down.multiply(gate, threads: threads))  // residual
        }
        cache.advance(by: tokens.count)

        // Final norm, then the output matrix (or the tied embedding): [tokens or 1, vocab].
        if rows == .last {
            x = Matrix(rows: 1, columns: h.dim, values: Array(x.row(tokens.count - 1)))
        }
        let normed = RMSNorm.apply(x, weight: w.outputNorm, epsilon: model.normEpsilon)
        return try w.output.multiply(normed, threads: threads)
    }
}
