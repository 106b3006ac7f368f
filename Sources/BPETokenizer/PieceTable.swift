import ModelIO

/// The ranked byte pieces of a vocabulary, and a hash table from bytes to rank.
///
/// Layout (also the layout of the binary cache, see VocabularyCache):
/// - `bytes`: every piece's bytes, concatenated in rank order
/// - `starts`: [rankCount + 1] offsets into `bytes`; piece r is `bytes[starts[r] ..< starts[r + 1]]`
/// - `slots`: [power of two, at least twice rankCount] open addressing with linear probing; a slot
///   holds the top 8 bits of the hash, then `rank + 1` in the low 24 bits, 0 when empty. The 8 bits
///   reject 255 of 256 wrong candidates before their bytes are compared; 32-bit slots keep the
///   table at 1 MiB.
///
/// The three are bounds-checked views (ModelIO's `ByteTable`, `UInt32Table`): read from the cache,
/// they point into its memory map, so a start copies nothing out of it.
///
/// Lookups take a range of any byte array, so the encoder asks for sub-ranges of the text without
/// copying: this is the hot path of encoding (one or two lookups per piece of text).
struct PieceTable: Sendable {
    let bytes: ByteTable
    let starts: UInt32Table
    let slots: UInt32Table
    /// The longest piece: longer ranges are not looked up at all, which keeps merging long runs linear.
    let longestPiece: Int

    var rankCount: Int { starts.count - 1 }

    /// The most ranks a table can hold (24 bits of rank + 1 in a slot).
    static let maximumRankCount = (1 << 24) - 2

    /// Builds the table; throws if two ranks have the same bytes (the caller checks the count).
    init(pieces: [[UInt8]]) throws(DuplicatePiece) {
        var bytes: [UInt8] = []
        var starts: [UInt32] = [0]
        starts.reserveCapacity(pieces.count + 1)
        for piece in pieces {
            bytes.append(contentsOf: piece)
            starts.append(UInt32(bytes.count))
        }
        var capacity = 16
        while capacity < pieces.count * 2 { capacity *= 2 }
        var slots = [UInt32](repeating: 0, count: capacity)
        for rank in pieces.indices {
            let start = Int(starts[rank]), end = Int(starts[rank + 1])
            let hash = Self.hash(bytes, start, end)
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[slot] != 0 {
                let other = Int(slots[slot] & 0xFF_FFFF) - 1
                if slots[slot] >> 24 == Self.fingerprint(hash),
                    Self.equal(bytes, start, end, bytes, Int(starts[other]), Int(starts[other + 1]))
                {
                    throw DuplicatePiece(rank: rank, earlierRank: other)
                }
                slot = (slot + 1) & (capacity - 1)
            }
            slots[slot] = Self.fingerprint(hash) << 24 | UInt32(rank + 1)
        }
        var longest = 0
        for piece in pieces { longest = max(longest, piece.count) }
        self.init(bytes: ByteTable(bytes), starts: UInt32Table(starts), slots: UInt32Table(slots), longestPiece: longest)
    }

    /// Wraps tables read back from the cache (already validated by the cache reader, which also
    /// measured the longest piece).
    init(bytes: ByteTable, starts: UInt32Table, slots: UInt32Table, longestPiece: Int) {
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
        self.longestPiece = longestPiece
    }

    struct DuplicatePiece: Error {
        var rank: Int
        var earlierRank: Int
    }

    /// The rank of `text[start ..< end]`, or nil when it is not a piece.
    @inline(__always)
    func rank(of text: [UInt8], _ start: Int, _ end: Int) -> UInt32? {
        guard end - start <= longestPiece else { return nil }
        let hash = Self.hash(text, start, end)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry >> 24 == Self.fingerprint(hash) {
                let rank = Int(entry & 0xFF_FFFF) - 1
                let pieceStart = Int(starts[rank])
                if Int(starts[rank + 1]) &- pieceStart == end &- start, bytes.matches(text, start, end, at: pieceStart) {
                    return UInt32(rank)
                }
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    static func fingerprint(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 56) }

    func piece(_ rank: Int) -> [UInt8] { bytes.bytes(pieceRange(rank)) }

    /// Appends the bytes of piece `rank` to `array`.
    func appendPiece(_ rank: Int, to array: inout [UInt8]) { bytes.append(pieceRange(rank), to: &array) }

    private func pieceRange(_ rank: Int) -> Range<Int> { Int(starts[rank]) ..< Int(starts[rank + 1]) }

    /// FNV-1a over the bytes, then a final mix so that both halves of the result are well spread
    /// (the low half picks the slot, the high half is the stored check).
    @inline(__always)
    static func hash(_ text: [UInt8], _ start: Int, _ end: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for index in start..<end { hash = (hash ^ UInt64(text[index])) &* 0x0000_0100_0000_01B3 }
        hash ^= hash >> 29
        hash &*= 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 32
        return hash
    }

    @inline(__always)
    static func equal(_ a: [UInt8], _ aStart: Int, _ aEnd: Int, _ b: [UInt8], _ bStart: Int, _ bEnd: Int) -> Bool {
        guard aEnd - aStart == bEnd - bStart else { return false }
        var i = aStart, j = bStart
        while i < aEnd {
            if a[i] != b[j] { return false }
            i += 1
            j += 1
        }
        return true
    }
}
