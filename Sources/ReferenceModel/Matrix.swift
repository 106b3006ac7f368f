/// Activations: `rows` vectors of `columns` f32 values, row-major. One row per token.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Float]

    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        values = [Float](repeating: 0, count: rows * columns)
    }

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "a \(rows) x \(columns) matrix needs \(rows * columns) values")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * columns)..<((index + 1) * columns)]
    }

    /// self += other, element by element (the residual connections).
    mutating func add(_ other: Matrix) {
        precondition(rows == other.rows && columns == other.columns)
        for index in values.indices { values[index] += other.values[index] }
    }
}
