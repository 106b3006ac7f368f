import LlamaLayout
import ModelFiles
import ModelIO

/// A weight matrix [rows, columns] (row-major, as the file lists its shape) read in place from
/// the memory map, decoded a block of rows at a time inside each product.
struct WeightMatrix: Sendable {
    let name: String
    let rows: Int
    let columns: Int
    let data: ByteSlice
    let decoder: any RowDecoder
    let rowBytes: Int

    /// Checks the tensor against the shape the hyper-parameters give it and its bytes against
    /// its type, once, so the products can trust both.
    init(_ tensor: ModelTensor, rows: Int, columns: Int) throws {
        guard tensor.shape == [rows, columns] else {
            throw FileError(
                file: tensor.file, offset: tensor.offset,
                "tensor \(tensor.name): shape \(tensor.shape), expected [\(rows), \(columns)] from the model's hyper-parameters")
        }
        try self.init(tensor, rows: rows, columns: columns, checkedShape: ())
    }

    /// A 1-D tensor [count] seen as one row.
    init(vector tensor: ModelTensor, count: Int) throws {
        guard tensor.shape == [count] else {
            throw FileError(
                file: tensor.file, offset: tensor.offset,
                "tensor \(tensor.name): shape \(tensor.shape), expected [\(count)] from the model's hyper-parameters")
        }
        try self.init(tensor, rows: 1, columns: count, checkedShape: ())
    }

    private init(_ tensor: ModelTensor, rows: Int, columns: Int, checkedShape: Void) throws {
        guard tensor.isInOneRange else {
            throw FileError(
                file: tensor.file, offset: tensor.offset,
                "tensor \(tensor.name) is merged from model-parallel ranks; expected tensors stored whole (convert the folder to GGUF first)")
        }
        guard let decoder = RowDecoders.decoder(for: tensor.dtype) else {
            throw FileError(
                file: tensor.file, offset: tensor.offset,
                "tensor \(tensor.name): type \(tensor.dtype.name) is not read by the reference model; expected one of "
                    + RowDecoders.supported.joined(separator: ", "))
        }
        let product = decoder.rowBytes(columns: columns).map { $0.multipliedReportingOverflow(by: rows) }
        guard let product, !product.overflow, product.partialValue == tensor.byteCount, let rowBytes = decoder.rowBytes(columns: columns)
        else {
            throw FileError(
                file: tensor.file, offset: tensor.offset,
                "tensor \(tensor.name): \(tensor.byteCount) bytes do not hold \(rows) rows of \(columns) \(decoder.name) values")
        }
        name = tensor.name
        self.rows = rows
        self.columns = columns
        data = tensor.data
        self.decoder = decoder
        self.rowBytes = rowBytes
    }

    /// Rows `range` as f32 into `values` (range.count x columns of them).
    func decodeRows(_ range: Range<Int>, into values: UnsafeMutableBufferPointer<Float>) {
        data.withUnsafeBytes { bytes in
            // Bounds: range lies in 0..<rows (callers' loops) and rows x rowBytes == bytes.count (init).
            decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound * rowBytes)..<(range.upperBound * rowBytes)]), into: values)
        }
    }

    func row(_ index: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: columns) { buffer, initialized in
            decodeRows(index..<(index + 1), into: buffer)
            initialized = columns
        }
    }

    /// Rows decoded per work item: about 256 KiB of f32, which stays in L2 while every token of
    /// the batch passes over it, and a multiple of the kernel's 4-row block.
    var tileRows: Int { max(4, min(256, (1 << 16) / max(1, columns)) / 4 * 4) }

    /// input [tokens, columns] x self^T -> [tokens, rows]. Row tiles are spread over `threads`;
    /// each tile is decoded once and multiplied with every token.
    func multiply(_ input: Matrix, threads: Int) throws -> Matrix {
        precondition(input.columns == columns, "\(name): input has \(input.columns) columns, expected \(columns)")
        var output = Matrix(rows: input.rows, columns: rows)
        let tileRows = self.tileRows
        let tiles = (rows + tileRows - 1) / tileRows
        let (tokens, columns, rows) = (input.rows, self.columns, self.rows)
        try input.values.withUnsafeBufferPointer { inputBuffer in
            try output.values.withUnsafeMutableBufferPointer { outputBuffer in
                guard let inputBase = inputBuffer.baseAddress, let outputBase = outputBuffer.baseAddress else { return }
                let x = SharedReads(base: inputBase), y = DisjointWrites(base: outputBase)
                try parallelFor(0..<tiles, threads: threads) { tile in
                    let first = tile * tileRows
                    let count = min(tileRows, rows - first)
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: count * columns) { scratch in
                        decodeRows(first..<(first + count), into: scratch)
                        // Each tile writes only its own columns first..<first+count of every output row.
                        ProductKernel.multiply(
                            weights: UnsafePointer(scratch.baseAddress!), rows: count, input: x.base, tokens: tokens,
                            columns: columns, output: y.base + first, outputStride: rows)
                    }
                }
            }
        }
        return output
    }
}
