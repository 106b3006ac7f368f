import Glibc
import ModelIO

/// Causal grouped-query attention over the cache.
///
/// Query head j reads KV head j / (heads / kv_heads): under GQA several query heads share one
/// key/value head, which is why the cache holds kv_heads, not heads, vectors per position.
/// The query at absolute position p sees keys 0...p, its own included.
struct Attention: Sendable {
    let heads: Int
    let kvHeads: Int
    let headDim: Int

    /// queries [tokens, heads x head_dim] at positions first ..< first + tokens, against
    /// `keys`/`values` [first + tokens, kv_heads x head_dim] -> [tokens, heads x head_dim].
    func attend(queries: Matrix, first: Int, keys: [Float], values: [Float], threads: Int) throws -> Matrix {
        var output = Matrix(rows: queries.rows, columns: heads * headDim)
        let (heads, headDim, kvWidth) = (heads, headDim, kvHeads * headDim)
        let groupSize = heads / kvHeads
        let scale = 1 / Float(headDim).squareRoot()
        try queries.values.withUnsafeBufferPointer { q in
            try keys.withUnsafeBufferPointer { k in
                try values.withUnsafeBufferPointer { v in
                    try output.values.withUnsafeMutableBufferPointer { out in
                        guard let qBase = q.baseAddress, let kBase = k.baseAddress, let vBase = v.baseAddress,
                            let outBase = out.baseAddress
                        else { return }
                        let (queryReads, keyReads, valueReads) = (SharedReads(base: qBase), SharedReads(base: kBase), SharedReads(base: vBase))
                        let writes = DisjointWrites(base: outBase)
                        // One task per (token, head): it writes that head's head_dim outputs only.
                        try parallelFor(0..<(queries.rows * heads), threads: threads) { task in
                            let (token, head) = task.quotientAndRemainder(dividingBy: heads)
                            let visible = first + token + 1
                            let query = queryReads.base + token * heads * headDim + head * headDim
                            let kvOffset = (head / groupSize) * headDim
                            let result = writes.base + token * heads * headDim + head * headDim
                            withUnsafeTemporaryAllocation(of: Float.self, capacity: visible) { scores in
                                // Bounds: positions 0 ..< visible of the cache hold kv_width values each
                                // (visible <= its length), the head's slice lies inside one.
                                ProductKernel.attentionScores(
                                    query: query, keys: keyReads.base + kvOffset, stride: kvWidth, count: visible, dim: headDim,
                                    scale: scale, into: scores.baseAddress!)
                                Self.softmax(scores)
                                ProductKernel.weightedSum(
                                    weights: UnsafePointer(scores.baseAddress!), values: valueReads.base + kvOffset, stride: kvWidth,
                                    count: visible, dim: headDim, into: result)
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// In place, shifted by the maximum so exp never overflows.
    static func softmax(_ scores: UnsafeMutableBufferPointer<Float>) {
        let largest = scores.max() ?? 0
        var total: Float = 0
        for index in scores.indices {
            scores[index] = exp(scores[index] - largest)
            total += scores[index]
        }
        for index in scores.indices { scores[index] /= total }
    }
}
