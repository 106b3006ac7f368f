import ModelFiles
import ModelIO

/// A tensor merged from row-parallel ranks (Meta's wo and w2) comes in pieces that are parts of
/// rows. Copied, each piece goes out as it is; converted, a block quantizer needs whole rows, so
/// the pieces are gathered here into batches of whole rows, about `batchBytes` at a time: the
/// only copy of weights a conversion makes, and a bounded one (never a whole merged tensor).
enum RowGathering {
    /// 4 MiB of source bytes per batch (73 rows of a 70B w2): 2 Mi BF16 values, 32 of the
    /// Transcoder's work items, so both cores stay busy, while the batch and its copy in a
    /// ByteSource add 8 MiB to the conversion's allocations (16 MiB batches added 32).
    static let batchBytes = 4 << 20

    /// Gives `body` the pieces to write, in order: `tensor.pieces` when copied or when no piece
    /// is part of a row, else batches of whole rows gathered from them, one batch alive at a time.
    static func forEachPiece(of tensor: PlannedTensor, _ body: (ByteSlice) throws -> Void) throws {
        let rows = tensor.shape.count > 1 ? tensor.shape[0] : 1
        guard case .convert = tensor.conversion, rows > 0, tensor.pieces.count > rows, tensor.pieces.count % rows == 0 else {
            for piece in tensor.pieces { try body(piece) }
            return
        }
        let rowBytes = tensor.pieces.byteCount / rows
        let rowsPerBatch = max(1, batchBytes / max(1, rowBytes))
        let piecesPerRow = tensor.pieces.count / rows
        var row = 0
        while row < rows {
            let end = min(rows, row + rowsPerBatch)
            var bytes: [UInt8] = []
            bytes.reserveCapacity((end - row) * rowBytes)
            for index in (row * piecesPerRow)..<(end * piecesPerRow) {
                tensor.pieces[index].withUnsafeBytes { bytes.append(contentsOf: $0) }
            }
            try body(ByteSource(bytes: bytes, name: tensor.pieces[row * piecesPerRow].source.name).whole)
            row = end
        }
    }
}
