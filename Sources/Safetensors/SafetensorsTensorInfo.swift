import ModelIO

/// One tensor of a safetensors file: its header entry and a view of its data.
public struct SafetensorsTensorInfo: Sendable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Row-major shape, outermost first.
    public let shape: [Int]
    /// `data_offsets` as stored: relative to the start of the data section (just after the header).
    public let dataOffsets: (begin: Int, end: Int)
    /// The tensor's bytes in the file: a view, not a copy.
    public let data: ByteSlice

    public var elementCount: Int { shape.reduce(1, *) }
    public var fileOffset: Int { data.offset }
    public var byteCount: Int { data.count }
}
