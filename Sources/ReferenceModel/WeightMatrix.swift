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
    /// Set when the C kernels read the type directly (fused one-token products, SIMD decoding).
    let kernelFormat: KernelFormat?

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
        kernelFormat = (decoder as? ElementFormatRows)?.kernelFormat
    }

    /// Rows `range` as f32 into `values` (range.count x columns of them).
    func decodeRows(_ range: Range<Int>, into values: UnsafeMutableBufferPointer<Float>) {
        data.withUnsafeBytes { bytes in
            // Bounds: range lies in 0..<rows (callers' loops) and rows x rowBytes == bytes.count (init).
            let rows = UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound * rowBytes)..<(range.upperBound * rowBytes)])
            if let kernelFormat {
                ProductKernel.decode(format: kernelFormat, rows, into: values)
            } else {
                decoder.decode(rows, into: values)
            }
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
        if input.rows == 1, let kernelFormat { return try multiplyOne(input, format: kernelFormat, threads: threads) }
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

    /// Rows per work item of a one-token product: enough that handing out an item costs little
    /// beside it, few enough that two threads share a 576-row matrix evenly.
    static let oneTokenRows = 64

    /// input [1, columns] x self^T -> [1, rows], each row decoded in registers by the fused
    /// kernel (generation: decoding to f32 and storing it cost more than the products did).
    private func multiplyOne(_ input: Matrix, format: KernelFormat, threads: Int) throws -> Matrix {
        var output = Matrix(rows: 1, columns: rows)
        let (rows, columns, rowBytes, step) = (self.rows, self.columns, self.rowBytes, Self.oneTokenRows)
        try data.withUnsafeBytes { bytes in
            try input.values.withUnsafeBufferPointer { inputBuffer in
                try output.values.withUnsafeMutableBufferPointer { outputBuffer in
                    guard let weights = bytes.baseAddress, let inputBase = inputBuffer.baseAddress,
                        let outputBase = outputBuffer.baseAddress
                    else { return }
                    let w = SharedBytes(base: weights), x = SharedReads(base: inputBase), y = DisjointWrites(base: outputBase)
                    // Bounds: rows x rowBytes == bytes.count (init); item i reads and writes rows
                    // first ..< first + count, inside 0 ..< rows.
                    try parallelFor(0..<((rows + step - 1) / step), threads: threads) { item in
                        let first = item * step
                        let count = min(step, rows - first)
                        ProductKernel.multiplyOne(
                            format: format, weights: w.base + first * rowBytes, rowBytes: rowBytes, rows: count,
                            columns: columns, x: x.base, output: y.base + first)
                    }
                }
            }
        }
        return output
    }
}
