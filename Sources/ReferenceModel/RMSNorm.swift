import Glibc

/// Root-mean-square normalization: each row divided by the root of its mean square (plus
/// epsilon), then scaled element by element by the learned weight [dim].
enum RMSNorm {
    static func apply(_ input: Matrix, weight: [Float], epsilon: Float) -> Matrix {
        var output = input
        let dim = input.columns
        for row in 0..<input.rows {
            let start = row * dim
            var sumOfSquares: Float = 0
            for index in start..<(start + dim) { sumOfSquares += input.values[index] * input.values[index] }
            let scale = 1 / (sumOfSquares / Float(dim) + epsilon).squareRoot()
            for column in 0..<dim {
                output.values[start + column] = weight[column] * (input.values[start + column] * scale)
            }
        }
        return output
    }
}
