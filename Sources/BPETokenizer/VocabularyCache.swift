#if canImport(Glibc)
import Glibc
#endif
import ModelIO

/// A compact binary form of any vocabulary, so that a command starts in milliseconds instead of
/// decoding 2 MB of base64 and rebuilding a hash table each time. Stored as
/// `${XDG_CACHE_HOME:-~/.cache}/llama3/vocab-vVERSION-DIGEST.bin`, DIGEST being the XXH3-128 of the source
/// file's bytes; written atomically; checked (trailing digest, then every structural bound)
/// before use, and rebuilt when missing or bad.
///
/// Layout, little-endian:
///
///     "L3VOCAB\0"  u32 format version (3)  u32 source kind (0 tiktoken, 1 tokenizer.json)
///     16 bytes     XXH3-128 of the source file (high half first)
///     u32 rank count R   u32 special count S   u32 slot count C (a power of two)   u32 naming length N
///     u64 piece byte count B
///     (R + 1) u32  piece starts       C u32  hash slots       B bytes  pieces (see PieceTable)
///     N bytes      special-token naming (UTF-8)
///     S times      u32 id, u32 name length L, L bytes of name (UTF-8)
///     u64          XXH3-64 of every byte before it
///
/// The tables start at byte 56, so they are 8-byte aligned in the map, and are used where they
/// lie: `PieceTable` views them (ModelIO's `UInt32Table`, `ByteTable`) instead of copying them
/// out. Version 2 had the naming and special tokens before the tables.
enum VocabularyCache {
    static let magic: [UInt8] = Array("L3VOCAB\0".utf8)
    static let version: UInt32 = 3

    /// The format version is in the name, so that two builds of different versions never fight
    /// over one file, rebuilding it in turn.
    static func fileName(for digest: XXH3Digest128) -> String { "vocab-v\(version)-\(digest).bin" }

    static func encode(_ vocabulary: Vocabulary, kind: VocabularyFile.Kind, digest: XXH3Digest128) -> [UInt8] {
        var out = LittleEndianBytes()
        out.append(magic)
        out.append(version)
        out.append(UInt32(kind == .tiktoken ? 0 : 1))
        out.append(digest.high)
        out.append(digest.low)
        let table = vocabulary.table
        let naming = Array(vocabulary.specialTokenNaming.utf8)
        out.append(UInt32(table.rankCount))
        out.append(UInt32(vocabulary.specialTokens.count))
        out.append(UInt32(table.slots.count))
        out.append(UInt32(naming.count))
        out.append(UInt64(table.bytes.count))
        for start in table.starts { out.append(start) }
        for slot in table.slots { out.append(slot) }
        out.append(table.bytes.bytes(0..<table.bytes.count))
        out.append(naming)
        for token in vocabulary.specialTokens {
            let name = Array(token.name.utf8)
            out.append(UInt32(token.id))
            out.append(UInt32(name.count))
            out.append(name)
        }
        out.append(XXH3.hash64(out.bytes))
        return out.bytes
    }

    /// The vocabulary in `source` if it is a sound cache of the file with `digest`, else nil.
    static func decode(_ source: ByteSource, digest: XXH3Digest128) -> (Vocabulary, VocabularyFile.Kind)? {
        guard source.count >= 8 + 16 + 16 + 16 + 8 + 8 else { return nil }
        let body = source.count - 8
        let stored = try? source.load(UInt64.self, at: body)
        let actual = try? source.withUnsafeBytes(offset: 0, length: body) { XXH3.hash64($0) }
        guard let stored, stored == actual else { return nil }
        return try? read(source, digest: digest, end: body)
    }

    private static func read(_ source: ByteSource, digest: XXH3Digest128, end: Int) throws -> (Vocabulary, VocabularyFile.Kind)? {
        var cursor = ByteCursor(source)
        guard try cursor.bytes(8, "magic") == magic, try cursor.u32("version") == version else { return nil }
        let kindCode = try cursor.u32("kind")
        guard kindCode <= 1 else { return nil }
        guard try cursor.u64("digest") == digest.high, try cursor.u64("digest") == digest.low else { return nil }
        let rankCount = Int(try cursor.u32("rank count")), specialCount = Int(try cursor.u32("special count"))
        let slotCount = Int(try cursor.u32("slot count")), namingLength = Int(try cursor.u32("naming length"))
        let pieceByteCount = try cursor.count("piece bytes")
        guard rankCount > 0, slotCount >= rankCount * 2, slotCount & (slotCount - 1) == 0 else { return nil }
        // Views into the map, not copies (see the layout above).
        let starts = UInt32Table(try cursor.slice((rankCount + 1) * 4, "starts"))
        let slots = UInt32Table(try cursor.slice(slotCount * 4, "slots"))
        let bytes = ByteTable(try cursor.slice(pieceByteCount, "pieces"))
        let naming = try cursor.string(namingLength, "naming")
        var specials: [SpecialToken] = []
        for _ in 0..<min(specialCount, end / 8) {
            let id = Int(try cursor.u32("id")), length = Int(try cursor.u32("name length"))
            specials.append(SpecialToken(id: id, name: try cursor.string(length, "name")))
        }
        guard specials.count == specialCount, cursor.offset == end,
            let longestPiece = longestPiece(starts: starts, pieceByteCount: pieceByteCount),
            slotsAreSound(slots, rankCount: rankCount)
        else { return nil }
        let table = PieceTable(bytes: bytes, starts: starts, slots: slots, longestPiece: longestPiece)
        let vocabulary = try Vocabulary(table: table, specialTokens: specials, specialTokenNaming: naming, source: source.name)
        return (vocabulary, kindCode == 0 ? .tiktoken : .tokenizerJSON)
    }

    /// The length of the longest piece if the starts rise from 0 to the end of the piece bytes
    /// (every piece inside them), else nil. One pass, without branches in the loop.
    static func longestPiece(starts: UInt32Table, pieceByteCount: Int) -> Int? {
        guard starts.count >= 2, starts[0] == 0, Int(starts[starts.count - 1]) == pieceByteCount else { return nil }
        // The differences of neighbours in wrapping u32 arithmetic: a fall wraps to a huge one.
        // Each at most the byte count, and their true sum exactly the byte count (the last start
        // minus the first), means no step wrapped: the starts rise.
        var longest: UInt32 = 0, total: UInt64 = 0
        var previous: UInt32 = 0
        for index in 1..<starts.count {
            let start = starts[index]
            let length = start &- previous
            longest = max(longest, length)
            total &+= UInt64(length)
            previous = start
        }
        return Int(longest) <= pieceByteCount && total == UInt64(pieceByteCount) ? Int(longest) : nil
    }

    /// Every slot is empty or names a rank, and one is empty (a lookup of a missing piece ends).
    private static func slotsAreSound(_ slots: UInt32Table, rankCount: Int) -> Bool {
        let rankCount = UInt32(rankCount)
        // Without branches, as a min and a max the compiler vectorizes: the loop with early
        // exits mispredicted on every other slot (empty or not at random) and was 7-8% of
        // `echo hello | llama3 count` (perf). A slot is sound when empty (0) or when its rank r
        // (low 24 bits) is 1...rankCount, that is r - 1 < rankCount in wrapping u32 arithmetic;
        // empty slots are masked to 0 so that they pass.
        var smallestSlot = UInt32.max, largestRankBelow: UInt32 = 0
        for index in 0..<slots.count {
            let slot = slots[index]
            let occupied = UInt32(bitPattern: Int32(bitPattern: slot | (0 &- slot)) >> 31)  // all ones unless slot is 0
            smallestSlot = min(smallestSlot, slot)
            largestRankBelow = max(largestRankBelow, ((slot & 0xFF_FFFF) &- 1) & occupied)
        }
        // A lookup of a missing piece must meet an empty slot.
        return smallestSlot == 0 && largestRankBelow < rankCount
    }

    /// Writes the cache file; failures (a read-only home, a full disk) only cost speed next time.
    static func store(_ bytes: [UInt8], folder: String, digest: XXH3Digest128) -> String? {
        guard makeFolders(folder) else { return nil }
        let path = folder + "/" + fileName(for: digest)
        do {
            let writer = try AtomicFileWriter(destination: path)
            try writer.write(bytes)
            try writer.commit()
            return path
        } catch {
            return nil
        }
    }

    private static func makeFolders(_ path: String) -> Bool {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { return false }
        }
        return true
    }
}

/// A growing byte array with little-endian integer appends.
struct LittleEndianBytes {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        var remaining = value
        for _ in 0..<MemoryLayout<T>.size {
            bytes.append(UInt8(truncatingIfNeeded: remaining))
            remaining = remaining >> 8
        }
    }
}
