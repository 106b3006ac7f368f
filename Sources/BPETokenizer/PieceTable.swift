/// The ranked byte pieces of a vocabulary, and a hash table from bytes to rank.
///
/// Layout (also the layout of the binary cache, see VocabularyCache):
/// - `bytes`: every piece's bytes, concatenated in rank order
/// - `starts`: [rankCount + 1] offsets into `bytes`; piece r is `bytes[starts[r] ..< starts[r + 1]]`
/// - `slots`: [power of two, at least twice rankCount] open addressing with linear probing; a slot
///   holds the top 8 bits of the hash, then `rank + 1` in the low 24 bits, 0 when empty. The 8 bits
///   reject 255 of 256 wrong candidates before their bytes are compared; 32-bit slots keep the
///   table at 1 MiB, which the cache reader converts at every start.
///
/// Lookups take a range of any byte array, so the encoder asks for sub-ranges of the text without
/// copying: this is the hot path of encoding (one or two lookups per piece of text).
struct PieceTable: Sendable {
    let bytes: [UInt8]
    let starts: [UInt32]
    let slots: [UInt32]
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
        self.init(bytes: bytes, starts: starts, slots: slots)
    }

    /// Wraps arrays read back from the cache (already validated by the cache reader).
    init(bytes: [UInt8], starts: [UInt32], slots: [UInt32]) {
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
        var longest = 0
        for rank in 0..<(starts.count - 1) { longest = max(longest, Int(starts[rank + 1] &- starts[rank])) }
        longestPiece = longest
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
                if Self.equal(text, start, end, bytes, Int(starts[rank]), Int(starts[rank + 1])) {
                    return UInt32(rank)
                }
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    static func fingerprint(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 56) }

    func piece(_ rank: Int) -> ArraySlice<UInt8> {
        bytes[Int(starts[rank]) ..< Int(starts[rank + 1])]
    }

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
