import ModelIO

/// A GGUF file, read from a `ByteSource`: header, metadata, tensor infos and views of the data.
///
/// Opening reads the header only: its cost grows with the header, not the file (tensor data is
/// never touched), and metadata arrays stay unread until asked for (`GGUFArray`). Every field is
/// checked as it is read; a file that opens has every tensor inside the file, aligned, and not
/// overlapping another.
public struct GGUFFile: Sendable {
    public static let magic: [UInt8] = Array("GGUF".utf8)
    public static let defaultAlignment = 32
    /// The largest `general.alignment` accepted (1 MiB). Files in use say 32 or 64; the value
    /// sizes padding in every file written from this one, so a file saying 2^40 is refused
    /// rather than turned into a terabyte of zeros (Docs/FORMATS.md).
    public static let maximumAlignment = 1 << 20
    /// The version this project writes (and llama.cpp's current one); 2 and 3 are read.
    public static let writtenVersion: UInt32 = 3
    /// ggml's GGML_MAX_DIMS.
    public static let maximumDimensions = 4

    public let source: ByteSource
    public let version: UInt32
    public let metadata: GGUFMetadata
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment`, or 32.
    public let alignment: Int
    /// Where the data section starts (the end of the tensor infos, padded to the alignment).
    public let dataOffset: Int
    /// Where the header (everything before the padding of the data section) ends.
    public let headerSize: Int

    public init(path: String) throws {
        try self.init(source: ByteSource(mapping: path))
    }

    public init(source: ByteSource) throws {
        self.source = source
        var cursor = ByteCursor(source)
        version = try Self.readPreamble(&cursor)
        let tensorCount = try cursor.count("tensor count", elementSize: Self.minimumTensorInfoSize)
        let keyCount = try cursor.count("metadata key-value count", elementSize: Self.minimumKeyValueSize)
        metadata = try Self.readMetadata(&cursor, count: keyCount)
        alignment = try Self.alignment(in: metadata, file: source.name)
        let infos = try (0..<tensorCount).map { _ in try RawTensorInfo.read(from: &cursor) }
        headerSize = cursor.offset
        dataOffset = cursor.offset + padding(after: cursor.offset, toMultipleOf: alignment)
        tensors = try Self.place(infos, dataOffset: dataOffset, alignment: alignment, source: source)
    }

    /// The tensor called `name`, if any.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensors.first { $0.name == name }
    }

    // A tensor info is at least an 8-byte name length, n_dims, type and offset.
    static let minimumTensorInfoSize = 8 + 4 + 4 + 8
    // A key-value pair is at least an 8-byte key length, a type and a 1-byte value.
    static let minimumKeyValueSize = 8 + 4 + 1

    /// Magic and version. A byte-swapped version means a big-endian file, which is refused by name.
    static func readPreamble(_ cursor: inout ByteCursor) throws -> UInt32 {
        let found = try cursor.bytes(4, "magic \"GGUF\"")
        guard found == magic else {
            throw cursor.error("expected magic \"GGUF\", found \(describeMagic(found))", at: 0)
        }
        let version = try cursor.u32("version")
        switch version {
        case 2, 3:
            return version
        case 1:
            throw cursor.error("found GGUF version 1, which used 32-bit counts; expected version 2 or 3", at: 4)
        default:
            let swapped = version.byteSwapped
            if (1...3).contains(swapped) {
                throw cursor.error(
                    "found a big-endian GGUF (version \(swapped) byte-swapped); only little-endian files are supported", at: 4)
            }
            throw cursor.error("expected GGUF version 2 or 3, found \(version)", at: 4)
        }
    }

    static func describeMagic(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { hex16(UInt64($0)).suffix(2) }.joined(separator: " ")
        let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
        return printable ? "\"\(String(decoding: bytes, as: UTF8.self))\" (\(hex))" : hex
    }

    static func readMetadata(_ cursor: inout ByteCursor, count: Int) throws -> GGUFMetadata {
        var metadata = GGUFMetadata()
        for index in 0..<count {
            let start = cursor.offset
            let key = try GGUFValueReader.readString(from: &cursor, "key of metadata entry \(index)")
            let type = try GGUFValueReader.readType(from: &cursor, key)
            let value = try GGUFValueReader.read(type, from: &cursor, label: key, depth: 0)
            guard metadata.insert(key, value) else {
                throw cursor.error("found metadata key \"\(key)\" a second time; expected unique keys", at: start)
            }
        }
        return metadata
    }

    /// `general.alignment` (any integer type), which must be a non-zero power of two of at most
    /// `maximumAlignment`.
    static func alignment(in metadata: GGUFMetadata, file: String) throws -> Int {
        guard let value = metadata["general.alignment"] else { return defaultAlignment }
        guard let alignment = value.integer, alignment > 0, alignment & (alignment - 1) == 0 else {
            throw FileError(file: file, "expected general.alignment to be a non-zero power of two, found \(value.briefDescription)")
        }
        guard alignment <= maximumAlignment else {
            throw FileError(
                file: file, "expected general.alignment to be at most \(maximumAlignment) (1 MiB), found \(alignment)")
        }
        return alignment
    }

    /// Checks every tensor against the data section and the others, and makes the data views.
    static func place(
        _ infos: [RawTensorInfo], dataOffset: Int, alignment: Int, source: ByteSource
    ) throws -> [GGUFTensorInfo] {
        var seen = Set<String>()
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(infos.count)
        for info in infos {
            guard seen.insert(info.name).inserted else {
                throw FileError(file: source.name, offset: info.start, "found tensor name \"\(info.name)\" a second time; expected unique names")
            }
            guard info.offset % alignment == 0 else {
                throw FileError(
                    file: source.name, offset: info.start,
                    "expected tensor \(info.name)'s data offset \(info.offset) to be a multiple of the alignment \(alignment)")
            }
            guard info.offset <= source.count - dataOffset, info.byteCount <= source.count - dataOffset - info.offset else {
                throw FileError(
                    file: source.name, offset: info.start,
                    "expected tensor \(info.name)'s \(info.byteCount) bytes at data offset \(info.offset) inside the file, "
                        + "but the data section holds \(max(0, source.count - dataOffset)) bytes (truncated file?)")
            }
            let data = try source.slice(offset: dataOffset + info.offset, length: info.byteCount, expected: "data of \(info.name)")
            tensors.append(GGUFTensorInfo(
                name: info.name, dimensions: info.dimensions, type: info.type, relativeOffset: info.offset, data: data))
        }
        try refuseOverlaps(tensors, infos: infos, file: source.name)
        return tensors
    }

    static func refuseOverlaps(_ tensors: [GGUFTensorInfo], infos: [RawTensorInfo], file: String) throws {
        let order = tensors.indices.sorted { tensors[$0].relativeOffset < tensors[$1].relativeOffset }
        for (before, after) in zip(order, order.dropFirst()) {
            let end = tensors[before].relativeOffset + tensors[before].byteCount
            guard end <= tensors[after].relativeOffset else {
                throw FileError(
                    file: file, offset: infos[after].start,
                    "expected tensor \(tensors[after].name)'s data (offset \(tensors[after].relativeOffset)) to start after "
                        + "tensor \(tensors[before].name)'s, which ends at \(end); they overlap")
            }
        }
    }
}

/// A tensor info as read, before it is checked against the data section.
struct RawTensorInfo {
    let start: Int
    let name: String
    let dimensions: [Int]
    let type: GGMLType
    let offset: Int
    let byteCount: Int

    /// Reads the spec's fields in order: name, n_dims, dims (innermost first), type, offset.
    static func read(from cursor: inout ByteCursor) throws -> RawTensorInfo {
        let start = cursor.offset
        let name = try GGUFValueReader.readString(from: &cursor, "tensor name")
        let dimensionCount = try cursor.u32("number of dimensions of tensor \(name)")
        guard dimensionCount <= GGUFFile.maximumDimensions else {
            throw cursor.error("expected at most \(GGUFFile.maximumDimensions) dimensions for tensor \(name), found \(dimensionCount)", at: cursor.offset - 4)
        }
        var dimensions: [Int] = []
        var elements = 1
        for axis in 0..<Int(dimensionCount) {
            let place = cursor.offset
            let raw = try cursor.u64("dimension \(axis) of tensor \(name)")
            guard let size = Int(exactly: raw), !elements.multipliedReportingOverflow(by: size).overflow else {
                throw cursor.error("dimension \(axis) of tensor \(name) is \(raw): the element count overflows", at: place)
            }
            elements *= size
            dimensions.append(size)
        }
        let typePlace = cursor.offset
        let rawType = try cursor.u32("ggml type of tensor \(name)")
        guard let type = GGMLType(rawValue: rawType) else {
            throw cursor.error("expected a known ggml type for tensor \(name), found type id \(rawType)", at: typePlace)
        }
        guard let byteCount = type.byteCount(elements: elements, innermost: dimensions.first ?? 1) else {
            if type.byteCountOverflows(elements: elements) {
                throw cursor.error("tensor \(name)'s \(elements) \(type) elements take more bytes than a 64-bit size holds", at: start)
            }
            throw cursor.error(
                "expected tensor \(name)'s innermost dimension \(dimensions.first ?? 1) to be a multiple of \(type)'s block size \(type.blockSize)",
                at: start)
        }
        let offsetPlace = cursor.offset
        let rawOffset = try cursor.u64("data offset of tensor \(name)")
        guard let offset = Int(exactly: rawOffset) else {
            throw cursor.error("data offset of tensor \(name) is \(rawOffset), past any file", at: offsetPlace)
        }
        return RawTensorInfo(start: start, name: name, dimensions: dimensions, type: type, offset: offset, byteCount: byteCount)
    }
}
