import ModelIO

/// A safetensors file: an 8-byte little-endian header length, a JSON header, then the data.
///
/// Opening parses the header only. A file that opens has, for every tensor, a known dtype, a
/// shape whose byte count matches its `data_offsets`, and offsets that together cover the data
/// section exactly: no hole, no overlap, nothing past the end.
public struct SafetensorsFile: Sendable {
    /// The safetensors library's own bound on the header (100 MB): no real header comes close,
    /// and a lying length must not make us read or allocate a whole file.
    public static let maximumHeaderSize = 100_000_000
    /// Where the JSON header starts: after its 8-byte length.
    public static let headerStart = MemoryLayout<UInt64>.size

    public let source: ByteSource
    /// `__metadata__`, in header order (string to string, as the format requires).
    public let metadata: [(key: String, value: String)]
    /// Tensors in data order (their order in the file).
    public let tensors: [SafetensorsTensorInfo]
    /// Where the data section starts: `headerStart` + the header length.
    public let dataOffset: Int

    public init(path: String) throws {
        try self.init(source: ByteSource(mapping: path))
    }

    public init(source: ByteSource) throws {
        self.source = source
        var cursor = ByteCursor(source)
        let rawLength = try cursor.u64("header length")
        guard rawLength <= UInt64(Self.maximumHeaderSize) else {
            throw cursor.error("expected a header length of at most \(Self.maximumHeaderSize) bytes, found \(rawLength)", at: 0)
        }
        let headerLength = Int(rawLength)
        guard headerLength <= cursor.remaining else {
            throw cursor.error("expected a \(headerLength)-byte header, but only \(cursor.remaining) bytes remain (truncated file?)")
        }
        let header = try cursor.slice(headerLength, "JSON header")
        guard try source.load(UInt8.self, at: Self.headerStart, expected: "JSON header") == UInt8(ascii: "{") else {
            throw FileError(file: source.name, offset: Self.headerStart, "expected the JSON header to start with '{'")
        }
        dataOffset = cursor.offset
        let parsed = try SafetensorsHeaderParser.parse(header)
        metadata = parsed.metadata
        tensors = try Self.place(parsed.entries, dataOffset: dataOffset, source: source)
    }

    public func tensor(named name: String) -> SafetensorsTensorInfo? {
        tensors.first { $0.name == name }
    }

    /// Orders the entries by offset and checks they tile the data section exactly.
    static func place(_ entries: [SafetensorsHeaderParser.Entry], dataOffset: Int, source: ByteSource) throws -> [SafetensorsTensorInfo] {
        let dataLength = source.count - dataOffset
        let ordered = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var expectedBegin = 0
        var tensors: [SafetensorsTensorInfo] = []
        tensors.reserveCapacity(ordered.count)
        for entry in ordered {
            guard entry.begin == expectedBegin else {
                let problem = entry.begin < expectedBegin ? "overlaps the tensor before it" : "leaves a hole before it"
                throw FileError(
                    file: source.name, offset: Self.headerStart,
                    "expected tensor \(entry.name)'s data to start at offset \(expectedBegin), found \(entry.begin): it \(problem)")
            }
            guard entry.end <= dataLength else {
                throw FileError(
                    file: source.name, offset: Self.headerStart,
                    "expected tensor \(entry.name)'s data_offsets [\(entry.begin), \(entry.end)] inside the \(dataLength)-byte data section (truncated file?)")
            }
            let data = try source.slice(offset: dataOffset + entry.begin, length: entry.end - entry.begin, expected: "data of \(entry.name)")
            tensors.append(SafetensorsTensorInfo(
                name: entry.name, dtype: entry.dtype, shape: entry.shape, dataOffsets: (entry.begin, entry.end), data: data))
            expectedBegin = entry.end
        }
        guard expectedBegin == dataLength else {
            throw FileError(
                file: source.name, offset: dataOffset + expectedBegin,
                "expected the tensors to cover the \(dataLength)-byte data section exactly, but they end at \(expectedBegin)")
        }
        return tensors
    }
}
