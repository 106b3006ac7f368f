import Glibc

/// Probabilities from logits, in Double: a 128,256-way softmax summed in f32 loses the small
/// probabilities KL divergence and perplexity are made of.
enum LogitStatistics {
    /// log softmax of one row of logits.
    static func logProbabilities(_ logits: ArraySlice<Float>) -> [Double] {
        let largest = Double(logits.max() ?? 0)
        var total = 0.0
        for logit in logits { total += exp(Double(logit) - largest) }
        let logTotal = log(total) + largest
        return logits.map { Double($0) - logTotal }
    }

    /// KL(P || Q) = sum P (log P - log Q), from log probabilities.
    static func klDivergence(_ p: [Double], _ q: [Double]) -> Double {
        var sum = 0.0
        for index in p.indices where p[index] > -.infinity {
            sum += exp(p[index]) * (p[index] - q[index])
        }
        return max(0, sum)  // rounding can make an exact zero slightly negative
    }

    /// The index of the largest logit (the first of equal ones, as numpy's argmax).
    static func argmax(_ logits: ArraySlice<Float>) -> Int {
        var best = logits.startIndex
        for index in logits.indices where logits[index] > logits[best] { best = index }
        return best - logits.startIndex
    }
}

/// What `compare` reports about two models' logits on the same ids (A is the reference).
public struct LogitComparison: Sendable, Equatable {
    /// Mean and largest KL(A || B) over positions.
    public var klMean: Double
    public var klMax: Double
    /// Fraction of positions whose argmax agrees, 0...1.
    public var top1Agreement: Double
    /// Largest |logit A - logit B| anywhere.
    public var maxAbsDiff: Double
    /// Each model's perplexity of the ids: position t's logits score id t + 1.
    public var perplexityA: Double
    public var perplexityB: Double
    /// The number of ids.
    public var positions: Int

    /// `a` and `b` are [ids, vocab] logits of the same `ids`.
    public init(_ a: Matrix, _ b: Matrix, ids: [Int]) {
        precondition(a.rows == ids.count && b.rows == ids.count && a.columns == b.columns)
        var kl: [Double] = [], agree = 0, largest = 0.0
        var nllA = 0.0, nllB = 0.0
        for position in 0..<ids.count {
            let rowA = a.row(position), rowB = b.row(position)
            let logA = LogitStatistics.logProbabilities(rowA), logB = LogitStatistics.logProbabilities(rowB)
            kl.append(LogitStatistics.klDivergence(logA, logB))
            if LogitStatistics.argmax(rowA) == LogitStatistics.argmax(rowB) { agree += 1 }
            for (x, y) in zip(rowA, rowB) { largest = max(largest, Double(abs(x - y))) }
            if position + 1 < ids.count {
                nllA -= logA[ids[position + 1]]
                nllB -= logB[ids[position + 1]]
            }
        }
        let scored = Double(max(1, ids.count - 1))
        klMean = kl.isEmpty ? 0 : kl.reduce(0, +) / Double(kl.count)
        klMax = kl.max() ?? 0
        top1Agreement = ids.isEmpty ? 1 : Double(agree) / Double(ids.count)
        maxAbsDiff = largest
        perplexityA = exp(nllA / scored)
        perplexityB = exp(nllB / scored)
        positions = ids.count
    }
}
