import ModelIO

/// A tensor's stored bytes in row-major order, as views of the files that hold them: one range
/// for a tensor stored whole; for a tensor merged from model-parallel ranks, the ranks' parts one
/// after another (split on rows) or their rows interleaved (split on columns: output row r is
/// row r of rank 0, then row r of rank 1, ...). Pieces are computed when asked for, so a 70B
/// row-parallel merge (8192 rows x 8 ranks) costs no list of 65536 views.
public struct TensorPieces: RandomAccessCollection, Sendable {
    enum Layout: Sendable {
        case list([ByteSlice])
        /// Each part holds `rows` rows of its own width.
        case interleaved([ByteSlice], rows: Int)
    }

    let layout: Layout
    public let byteCount: Int

    public init(_ whole: ByteSlice) { self.init(list: [whole]) }

    /// Pieces written one after another (a column-parallel merge; rows taken in a new order).
    public init(list: [ByteSlice]) {
        layout = .list(list)
        byteCount = list.reduce(0) { $0 + $1.count }
    }

    /// Row r of every part in turn, for each r (a row-parallel merge). Each part's byte count
    /// must be a multiple of `rows`, as the merge checks before making it.
    init(interleaving parts: [ByteSlice], rows: Int) {
        layout = .interleaved(parts, rows: rows)
        byteCount = parts.reduce(0) { $0 + $1.count }
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch layout {
        case .list(let pieces): pieces.count
        case .interleaved(let parts, let rows): parts.count * rows
        }
    }

    public subscript(position: Int) -> ByteSlice {
        switch layout {
        case .list(let pieces):
            return pieces[position]
        case .interleaved(let parts, let rows):
            let part = parts[position % parts.count]
            let rowBytes = part.count / rows
            // In range: position / parts.count < rows, and rows * rowBytes == part.count (the merge checked it).
            guard let row = try? part.slice(offset: (position / parts.count) * rowBytes, length: rowBytes) else {
                preconditionFailure("interleaved piece \(position) outside its part of \(part.count) bytes")
            }
            return row
        }
    }

    /// The stored views the pieces are cut from (the list itself, or each rank's whole part):
    /// the same bytes as the pieces, in far fewer views.
    public var spans: [ByteSlice] {
        switch layout {
        case .list(let pieces): pieces
        case .interleaved(let parts, _): parts
        }
    }

    /// The files the pieces come from, each once, in order of first use.
    public var sources: [ByteSource] {
        var seen = Set<ObjectIdentifier>()
        return spans.map(\.source).filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// Row `index` of `rowBytes` bytes as one view, for a tensor whose rows lie whole in its
    /// pieces (stored whole, or merged on rows): what reordering rows needs.
    public func row(_ index: Int, rowBytes: Int) throws -> ByteSlice {
        guard case .list(let pieces) = layout else {
            throw ToolError("a tensor merged on columns has no row in one piece")
        }
        var start = index * rowBytes
        for piece in pieces {
            if start < piece.count { return try piece.slice(offset: start, length: rowBytes) }
            start -= piece.count
        }
        throw ToolError("row \(index) of \(rowBytes) bytes lies beyond the tensor's \(byteCount) bytes")
    }
}
