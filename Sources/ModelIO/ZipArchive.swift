import CZlib

/// The members of a zip archive, found through the central directory at the end of the file,
/// with ZIP64 fields for archives, members or offsets beyond 4 GiB: a torch.save checkpoint (every
/// member stored, read as views of the file, never copies) or a Python wheel (`contents(of:)`
/// inflates a deflated member through zlib and checks its CRC-32). Encrypted members, multi-disk
/// archives and other compression methods are refused with the byte offset that says so.
///
/// Read in the order of the format (PKWARE's APPNOTE.TXT): end of central directory record, then
/// the ZIP64 locator and record when the 32-bit fields are saturated, then the central directory,
/// then each entry's local header (whose extra field torch pads so that the data is 64-byte aligned).
public struct ZipArchive: Sendable {
    public struct Entry: Sendable {
        public let name: String
        /// 0: stored, 8: deflated.
        public let method: UInt16
        public let crc32: UInt32
        /// The member's bytes as the file holds them (compressed unless stored).
        public let data: ByteSlice
        public let uncompressedSize: Int
        /// Where the entry's central directory record is, for messages.
        public let directoryOffset: Int

        public var isStored: Bool { method == 0 }
    }

    public let source: ByteSource
    /// Entries in central-directory order.
    public let entries: [Entry]

    static let endRecordSignature: UInt32 = 0x0605_4b50
    static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    static let zip64EndRecordSignature: UInt32 = 0x0606_4b50
    static let directorySignature: UInt32 = 0x0201_4b50
    static let localHeaderSignature: UInt32 = 0x0403_4b50
    static let zip64ExtraID: UInt16 = 0x0001
    /// 22 bytes of record, then a comment of at most 65535 bytes.
    static let endRecordSize = 22
    static let zip64LocatorSize = 20
    static let saturated32 = UInt32.max
    static let saturated16 = UInt16.max

    public init(_ source: ByteSource) throws {
        self.source = source
        let directory = try Self.locateDirectory(source)
        var cursor = ByteCursor(source, offset: directory.offset)
        var entries: [Entry] = []
        entries.reserveCapacity(min(directory.count, source.count / 46))
        for _ in 0..<directory.count {
            entries.append(try Self.readEntry(&cursor))
        }
        guard cursor.offset - directory.offset == directory.size else {
            throw cursor.error("expected the central directory to be \(directory.size) bytes as the end record says, found \(cursor.offset - directory.offset)")
        }
        self.entries = entries
    }

    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    // MARK: - End of central directory

    struct Directory {
        var offset: Int
        var size: Int
        var count: Int
    }

    /// The end record is the last one in the file: searched backwards over the longest comment.
    static func locateDirectory(_ source: ByteSource) throws -> Directory {
        guard source.count >= endRecordSize else {
            throw FileError(file: source.name, offset: 0, "expected a zip archive (at least \(endRecordSize) bytes), found \(source.count) bytes")
        }
        let earliest = max(0, source.count - endRecordSize - Int(UInt16.max))
        var candidate = source.count - endRecordSize
        while candidate >= earliest {
            if try source.load(UInt32.self, at: candidate) == endRecordSignature {
                return try readEndRecord(source, at: candidate)
            }
            candidate -= 1
        }
        throw FileError(
            file: source.name, offset: max(0, source.count - endRecordSize),
            "expected a zip archive's end of central directory record (signature PK\\5\\6) in the last \(source.count - earliest) bytes")
    }

    static func readEndRecord(_ source: ByteSource, at offset: Int) throws -> Directory {
        var cursor = ByteCursor(source, offset: offset + 4)
        let disk = try cursor.u16("number of this disk")
        let directoryDisk = try cursor.u16("disk of the central directory")
        _ = try cursor.u16("entries on this disk")
        let count = try cursor.u16("total entries")
        let size = try cursor.u32("central directory size")
        let start = try cursor.u32("central directory offset")
        guard count == saturated16 || size == saturated32 || start == saturated32 else {
            guard disk == 0, directoryDisk == 0 else {
                throw FileError(file: source.name, offset: offset, "expected a single-disk zip archive, found disk \(disk) of a multi-disk one")
            }
            return try checked(Directory(offset: Int(start), size: Int(size), count: Int(count)), source, recordOffset: offset)
        }
        return try readZip64EndRecord(source, endRecordOffset: offset)
    }

    /// ZIP64: the locator sits right before the end record and points at the ZIP64 end record.
    static func readZip64EndRecord(_ source: ByteSource, endRecordOffset: Int) throws -> Directory {
        let locatorOffset = endRecordOffset - zip64LocatorSize
        guard locatorOffset >= 0, try source.load(UInt32.self, at: locatorOffset) == zip64LocatorSignature else {
            throw FileError(
                file: source.name, offset: max(0, locatorOffset),
                "expected a ZIP64 end-of-central-directory locator (PK\\6\\7) before the end record, whose fields are saturated")
        }
        var locator = ByteCursor(source, offset: locatorOffset + 8)
        let recordOffset = try checkedInt(try locator.u64("ZIP64 end record offset"), source, at: locatorOffset + 8, "ZIP64 end record offset")
        guard try source.load(UInt32.self, at: recordOffset, expected: "ZIP64 end record") == zip64EndRecordSignature else {
            throw FileError(file: source.name, offset: recordOffset, "expected a ZIP64 end-of-central-directory record (PK\\6\\6)")
        }
        var cursor = ByteCursor(source, offset: recordOffset + 4 + 8 + 2 + 2)
        let disk = try cursor.u32("number of this disk")
        let directoryDisk = try cursor.u32("disk of the central directory")
        guard disk == 0, directoryDisk == 0 else {
            throw FileError(file: source.name, offset: recordOffset, "expected a single-disk zip archive, found disk \(disk) of a multi-disk one")
        }
        _ = try cursor.u64("entries on this disk")
        let count = try checkedInt(try cursor.u64("total entries"), source, at: cursor.offset - 8, "entry count")
        let size = try checkedInt(try cursor.u64("central directory size"), source, at: cursor.offset - 8, "central directory size")
        let start = try checkedInt(try cursor.u64("central directory offset"), source, at: cursor.offset - 8, "central directory offset")
        return try checked(Directory(offset: start, size: size, count: count), source, recordOffset: recordOffset)
    }

    /// The directory must lie in the file, and hold at least 46 bytes per entry it claims.
    static func checked(_ directory: Directory, _ source: ByteSource, recordOffset: Int) throws -> Directory {
        try source.checkRange(offset: directory.offset, length: directory.size, expected: "the central directory")
        guard directory.count <= directory.size / 46 else {
            throw FileError(
                file: source.name, offset: recordOffset,
                "expected at most \(directory.size / 46) entries in a \(directory.size)-byte central directory, the record says \(directory.count)")
        }
        return directory
    }

    static func checkedInt(_ value: UInt64, _ source: ByteSource, at offset: Int, _ what: String) throws -> Int {
        guard value <= UInt64(source.count) else {
            throw FileError(file: source.name, offset: offset, "expected \(what) within the file's \(source.count) bytes, found \(value)")
        }
        return Int(value)
    }

    // MARK: - Central directory and local headers

    static func readEntry(_ cursor: inout ByteCursor) throws -> Entry {
        let start = cursor.offset
        guard try cursor.u32("central directory header") == directorySignature else {
            throw cursor.error("expected a central directory header (PK\\1\\2)", at: start)
        }
        try cursor.skip(4, "versions")
        let flags = try cursor.u16("general purpose flags")
        let method = try cursor.u16("compression method")
        try cursor.skip(4, "modification time and date")
        let crc = try cursor.u32("CRC-32")
        var compressedSize = UInt64(try cursor.u32("compressed size"))
        var size = UInt64(try cursor.u32("uncompressed size"))
        let nameLength = Int(try cursor.u16("file name length"))
        let extraLength = Int(try cursor.u16("extra field length"))
        let commentLength = Int(try cursor.u16("comment length"))
        try cursor.skip(8, "disk number and attributes")
        var localOffset = UInt64(try cursor.u32("local header offset"))
        let name = try cursor.string(nameLength, "entry name")
        let extraStart = cursor.offset
        let extra = try cursor.slice(extraLength, "extra field")
        try cursor.skip(commentLength, "entry comment")

        if size == UInt64(saturated32) || compressedSize == UInt64(saturated32) || localOffset == UInt64(saturated32) {
            var wide = try zip64Fields(extra, at: extraStart, entry: name)
            if size == UInt64(saturated32) { size = try wide.next("uncompressed size") }
            if compressedSize == UInt64(saturated32) { compressedSize = try wide.next("compressed size") }
            if localOffset == UInt64(saturated32) { localOffset = try wide.next("local header offset") }
        }
        guard flags & 1 == 0 else {
            throw FileError(file: cursor.source.name, offset: start, "entry \(name): expected an unencrypted entry")
        }
        guard method != 0 || compressedSize == size else {
            throw FileError(
                file: cursor.source.name, offset: start,
                "entry \(name): expected a stored entry's compressed size (\(compressedSize)) to equal its size (\(size))")
        }
        let data = try localData(cursor.source, localOffset: localOffset, size: compressedSize, entry: name)
        let uncompressed = try checkedSize(size, cursor.source, at: start, entry: name)
        return Entry(name: name, method: method, crc32: crc, data: data, uncompressedSize: uncompressed, directoryOffset: start)
    }

    /// The ZIP64 extra field's 8-byte values, in the order the saturated fields appear.
    struct WideFields {
        var cursor: ByteCursor
        let end: Int
        let entry: String

        mutating func next(_ what: String) throws -> UInt64 {
            guard end - cursor.offset >= 8 else {
                throw cursor.error("entry \(entry): expected the ZIP64 extra field to hold the \(what)")
            }
            return try cursor.u64(what)
        }
    }

    static func zip64Fields(_ extra: ByteSlice, at offset: Int, entry: String) throws -> WideFields {
        var cursor = ByteCursor(extra.source, offset: extra.offset)
        let end = extra.offset + extra.count
        while end - cursor.offset >= 4 {
            let id = try cursor.u16("extra field id")
            let length = Int(try cursor.u16("extra field length"))
            guard length <= end - cursor.offset else { break }
            if id == zip64ExtraID { return WideFields(cursor: cursor, end: cursor.offset + length, entry: entry) }
            try cursor.skip(length, "extra field")
        }
        throw FileError(
            file: extra.source.name, offset: offset,
            "entry \(entry): expected a ZIP64 extra field (id 0x0001) for its saturated 32-bit size or offset")
    }

    /// The local header repeats the name and has its own extra field (torch's alignment padding).
    static func localData(_ source: ByteSource, localOffset: UInt64, size: UInt64, entry: String) throws -> ByteSlice {
        let offset = try checkedInt(localOffset, source, at: 0, "entry \(entry)'s local header offset")
        var cursor = ByteCursor(source, offset: offset)
        guard try cursor.u32("local file header") == localHeaderSignature else {
            throw FileError(file: source.name, offset: offset, "entry \(entry): expected a local file header (PK\\3\\4)")
        }
        try cursor.skip(22, "local header fields")
        let nameLength = Int(try cursor.u16("file name length"))
        let extraLength = Int(try cursor.u16("extra field length"))
        try cursor.skip(nameLength + extraLength, "local name and extra field")
        let length = try checkedInt(size, source, at: offset, "entry \(entry)'s size")
        return try source.slice(offset: cursor.offset, length: length, expected: "entry \(entry)'s data")
    }

    /// A member's declared uncompressed size, as an Int (its bound against the data is checked
    /// where it is inflated).
    static func checkedSize(_ value: UInt64, _ source: ByteSource, at offset: Int, entry: String) throws -> Int {
        guard value <= UInt64(Int.max) else {
            throw FileError(file: source.name, offset: offset, "entry \(entry): expected a size that fits in memory, found \(value)")
        }
        return Int(value)
    }

    // MARK: - Contents

    /// The bytes of the member called `name`, decompressed and checked against its CRC-32.
    public func contents(of name: String) throws -> [UInt8]? {
        guard let entry = entry(named: name) else { return nil }
        let data = entry.data
        let dataOffset = data.offset
        let bytes: [UInt8]
        switch entry.method {
        case 0: bytes = data.bytes
        case 8:
            // The output buffer is the declared size: a size deflate cannot reach from these bytes
            // is refused before it is allocated (a 200-byte file declaring 4 GB is a damaged archive).
            guard entry.uncompressedSize <= Self.maximumInflatedSize(compressed: entry.data.count) else {
                throw FileError(
                    file: source.name, offset: entry.directoryOffset + 24,
                    "expected \(name)'s uncompressed size (\(entry.uncompressedSize) bytes) to be at most "
                        + "\(Self.maximumDeflateRatio) times its \(entry.data.count) deflated bytes, as deflate allows; a damaged archive")
            }
            bytes = try Self.inflate(data, expectedCount: entry.uncompressedSize, name: name, at: dataOffset)
        default:
            throw FileError(
                file: source.name, offset: entry.directoryOffset + 10,
                "expected \(name) to be stored (method 0) or deflated (method 8), found method \(entry.method)")
        }
        guard bytes.count == entry.uncompressedSize else {
            throw FileError(file: source.name, offset: dataOffset, "expected \(name) to hold \(entry.uncompressedSize) bytes, found \(bytes.count)")
        }
        let actual = bytes.withUnsafeBufferPointer { UInt32(crc32_z(0, $0.baseAddress, z_size_t($0.count))) }
        guard actual == entry.crc32 else {
            throw FileError(
                file: source.name, offset: dataOffset,
                "expected \(name) to have CRC-32 \(hex(entry.crc32)), found \(hex(actual)) (a damaged archive)")
        }
        return bytes
    }

    /// Deflate's largest expansion: a 258-byte match coded in 2 bits (1-bit length and distance
    /// codes of a dynamic block), 258 * 8 / 2.
    static let maximumDeflateRatio = 1032

    /// The most bytes `compressed` deflated bytes can decode to; one byte more for the literal
    /// a run of matches starts from.
    static func maximumInflatedSize(compressed: Int) -> Int {
        (compressed + 1) * maximumDeflateRatio
    }

    /// Raw deflate (no zlib header: window bits -15), into a buffer of the size the directory
    /// declares; data that would not fit is an error rather than a larger allocation.
    static func inflate(_ data: ByteSlice, expectedCount: Int, name: String, at offset: Int) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expectedCount)
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ToolError("zlib could not start inflating \(name)")
        }
        defer { inflateEnd(&stream) }
        let status: Int32 = data.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { target in
                // zlib's next_in is not const; inflate only reads through it.
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(input.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expectedCount else {
            throw FileError(
                file: data.source.name, offset: offset,
                "expected \(name) to be deflate data of \(expectedCount) bytes (zlib status \(status) after \(stream.total_out) bytes)")
        }
        return output
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
