import CZlib

/// Reads one named member out of a zip archive (a Python wheel): the end-of-central-directory
/// record, the central directory, then the member's local header and data, stored or deflated.
/// Enough for `vocab install` of the llama-models wheel; ZIP64, encryption, multi-disk archives
/// and other compression methods are refused with the byte offset of the field that says so.
/// Layout: PKWARE's APPNOTE.TXT, sections 4.3.7 (local header), 4.3.12 (central directory
/// header) and 4.3.16 (end of central directory record); all integers little-endian.
public struct ZipArchive {
    public let source: ByteSource

    /// One central-directory entry, with the fields a reader of its data needs.
    public struct Entry: Sendable {
        public var name: String
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        /// Where this entry's central-directory header starts (for errors).
        var directoryOffset: Int
    }

    public let entries: [Entry]

    static let endOfDirectorySignature: UInt32 = 0x0605_4B50
    static let directoryHeaderSignature: UInt32 = 0x0201_4B50
    static let localHeaderSignature: UInt32 = 0x0403_4B50
    /// The fixed part of the end record; a comment of up to 65535 bytes may follow it.
    static let endOfDirectorySize = 22

    public init(_ source: ByteSource) throws {
        self.source = source
        var end = ByteCursor(source, offset: try Self.endOfDirectoryOffset(source))
        _ = try end.u32("end of central directory signature")
        let disk = try end.u16("number of this disk")
        let directoryDisk = try end.u16("disk where the central directory starts")
        _ = try end.u16("central directory entries on this disk")
        let entryCount = Int(try end.u16("central directory entries"))
        let directorySize = try end.u32("central directory size")
        let directoryOffsetPlace = end.offset
        let directoryOffset = try end.u32("central directory offset")
        guard disk == 0, directoryDisk == 0 else {
            throw end.error("expected a single-disk zip archive, found disk \(disk)", at: directoryOffsetPlace - 12)
        }
        guard entryCount != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else {
            throw end.error("expected a zip archive without ZIP64 fields (this reader handles archives under 4 GB)", at: directoryOffsetPlace)
        }
        var cursor = ByteCursor(source, offset: Int(directoryOffset))
        var entries: [Entry] = []
        for _ in 0..<entryCount { entries.append(try Self.directoryEntry(&cursor)) }
        self.entries = entries
    }

    /// The end record is the last 22 bytes, unless the archive has a comment: then it is found
    /// by its signature, searching back over at most 65535 bytes of comment.
    static func endOfDirectoryOffset(_ source: ByteSource) throws -> Int {
        guard source.count >= endOfDirectorySize else {
            throw FileError(file: source.name, offset: 0, "expected a zip archive (at least \(endOfDirectorySize) bytes), found \(source.count) bytes")
        }
        let lowest = max(0, source.count - endOfDirectorySize - 0xFFFF)
        var place = source.count - endOfDirectorySize
        while place >= lowest {
            if try source.load(UInt32.self, at: place, expected: "end of central directory signature") == endOfDirectorySignature {
                return place
            }
            place -= 1
        }
        throw FileError(
            file: source.name, offset: source.count - endOfDirectorySize,
            "expected a zip archive's end of central directory record (signature PK\\5\\6) in the last \(source.count - lowest) bytes")
    }

    static func directoryEntry(_ cursor: inout ByteCursor) throws -> Entry {
        let start = cursor.offset
        guard try cursor.u32("central directory header signature") == directoryHeaderSignature else {
            throw cursor.error("expected a central directory header (signature PK\\1\\2)", at: start)
        }
        try cursor.skip(4, "versions made by and needed")
        let flags = try cursor.u16("general purpose flags")
        let method = try cursor.u16("compression method")
        try cursor.skip(4, "modification time and date")
        let crc = try cursor.u32("CRC-32")
        let compressed = try cursor.u32("compressed size")
        let uncompressed = try cursor.u32("uncompressed size")
        let nameLength = Int(try cursor.u16("file name length"))
        let extraLength = Int(try cursor.u16("extra field length"))
        let commentLength = Int(try cursor.u16("file comment length"))
        try cursor.skip(8, "disk number and file attributes")
        let localOffset = try cursor.u32("local header offset")
        let name = try cursor.string(nameLength, "file name")
        try cursor.skip(extraLength + commentLength, "extra field and file comment")
        guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF else {
            throw cursor.error("expected \(name) without ZIP64 sizes (this reader handles members under 4 GB)", at: start + 20)
        }
        return Entry(
            name: name, flags: flags, method: method, crc32: crc, compressedSize: Int(compressed),
            uncompressedSize: Int(uncompressed), localHeaderOffset: Int(localOffset), directoryOffset: start)
    }

    /// The bytes of the member called `name`, decompressed and checked against its CRC-32.
    public func contents(of name: String) throws -> [UInt8]? {
        guard let entry = entries.first(where: { $0.name == name }) else { return nil }
        guard entry.flags & 1 == 0 else {
            throw FileError(file: source.name, offset: entry.directoryOffset + 8, "expected \(name) not to be encrypted")
        }
        var local = ByteCursor(source, offset: entry.localHeaderOffset)
        guard try local.u32("local file header signature") == Self.localHeaderSignature else {
            throw local.error("expected the local file header of \(name) (signature PK\\3\\4)", at: entry.localHeaderOffset)
        }
        try local.skip(22, "local header fields")
        let nameLength = Int(try local.u16("file name length"))
        let extraLength = Int(try local.u16("extra field length"))
        try local.skip(nameLength + extraLength, "file name and extra field")
        let dataOffset = local.offset
        let data = try local.slice(entry.compressedSize, "the \(entry.compressedSize) compressed bytes of \(name)")
        let bytes: [UInt8]
        switch entry.method {
        case 0: bytes = data.bytes
        case 8:
            // The output buffer is the declared size: a size deflate cannot reach from these bytes
            // is refused before it is allocated (a 200-byte file declaring 4 GB is a damaged archive).
            guard entry.uncompressedSize <= Self.maximumInflatedSize(compressed: entry.compressedSize) else {
                throw FileError(
                    file: source.name, offset: entry.directoryOffset + 24,
                    "expected \(name)'s uncompressed size (\(entry.uncompressedSize) bytes) to be at most "
                        + "\(Self.maximumDeflateRatio) times its \(entry.compressedSize) deflated bytes, as deflate allows; a damaged archive")
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
        let actual = bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
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
