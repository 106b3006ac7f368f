/// Byte-level BPE by rank, as tiktoken does it: start from single bytes and repeatedly merge the
/// adjacent pair whose joined bytes have the lowest rank (the leftmost one on ties) until no
/// adjacent pair is a piece.
///
/// Most pieces of text are a piece of the vocabulary already, found with one lookup. Others are
/// merged with tiktoken's simple loop (quadratic, but fastest for short pieces), and pieces longer
/// than `heapThreshold` bytes with a linked list and a min-heap of pair ranks, O(n log n): a 1 MB
/// run of letters, punctuation or spaces takes well under a second (measured 0.3-0.7 s on a loaded
/// 2-core machine), where tiktoken's loop is quadratic in the length of the piece.
/// Both give the same merges: the heap pops the lowest (rank, position), which is the pair the
/// simple loop's leftmost-minimum scan picks.
struct BytePairEncoder {
    let table: PieceTable
    let byteRanks: [UInt32]
    static let heapThreshold = 96

    // Scratch space reused across pieces, so encoding allocates nothing per piece.
    private var starts: [Int] = []
    private var pairRanks: [UInt32] = []
    private var pieceRanks: [UInt32] = []
    /// Pieces merged before (see MergeMemo); made on the first merge, as most texts need few.
    private var memo: MergeMemo?

    init(table: PieceTable, byteRanks: [UInt32]) {
        self.table = table
        self.byteRanks = byteRanks
    }

    private static let noRank = UInt32.max

    /// Appends the ids of the piece `text[start ..< end]` to `sink`.
    @inline(__always)
    mutating func encode<Sink: TokenSink>(_ text: [UInt8], _ start: Int, _ end: Int, into sink: inout Sink) {
        if end - start == 1 {
            sink.append(byteRanks[Int(text[start])])
        } else if let rank = table.rank(of: text, start, end) {
            sink.append(rank)
        } else if end - start <= Self.heapThreshold {
            let hash = PieceTable.hash(text, start, end) | 1
            if let memo, memo.emit(text, start, end, hash: hash, into: &sink) { return }
            let parts = mergeShortInPlace(text, start, end)
            for part in 0..<parts { sink.append(pieceRanks[part]) }
            if memo == nil { memo = MergeMemo() }
            memo?.remember(text, start, end, hash: hash, ids: pieceRanks[0..<parts])
        } else {
            mergeLong(text, start, end, into: &sink)
        }
    }

    /// tiktoken's loop: parts in arrays, a linear scan for the lowest pair rank, removal by
    /// shifting. The arrays are reused and shifted by hand: Array.remove(at:) cost a third of
    /// encoding time on source code, where many pieces are not in the vocabulary.
    mutating func mergeShort<Sink: TokenSink>(_ text: [UInt8], _ start: Int, _ end: Int, into sink: inout Sink) {
        let parts = mergeShortInPlace(text, start, end)
        for part in 0..<parts { sink.append(pieceRanks[part]) }
    }

    /// The loop itself: leaves the ids in `pieceRanks[0 ..< parts]` and returns `parts`.
    private mutating func mergeShortInPlace(_ text: [UInt8], _ start: Int, _ end: Int) -> Int {
        var parts = end - start
        if starts.count < parts + 1 {
            starts = [Int](repeating: 0, count: parts + 1)
            pairRanks = [UInt32](repeating: 0, count: parts + 1)
            pieceRanks = [UInt32](repeating: 0, count: parts + 1)
        }
        for part in 0..<parts {
            starts[part] = start + part
            pieceRanks[part] = byteRanks[Int(text[start + part])]
        }
        starts[parts] = end
        for part in 0..<parts { pairRanks[part] = pairRank(text, part, parts) }
        while parts > 1 {
            var best = 0
            var bestRank = Self.noRank
            for part in 0..<(parts - 1) where pairRanks[part] < bestRank {
                bestRank = pairRanks[part]
                best = part
            }
            if bestRank == Self.noRank { break }
            pieceRanks[best] = bestRank
            // Part best + 1 joins part best: shift everything after it down by one.
            for part in (best + 1)..<parts {
                starts[part] = starts[part + 1]
                pairRanks[part] = pairRanks[part + 1]
                pieceRanks[part] = pieceRanks[part + 1]
            }
            parts -= 1
            pairRanks[best] = pairRank(text, best, parts)
            if best > 0 { pairRanks[best - 1] = pairRank(text, best - 1, parts) }
        }
        return parts
    }

    /// The rank of parts `part` and `part + 1` joined, in the short loop's arrays of `parts` parts.
    @inline(__always)
    private func pairRank(_ text: [UInt8], _ part: Int, _ parts: Int) -> UInt32 {
        guard part + 1 < parts else { return Self.noRank }
        return table.rank(of: text, starts[part], starts[part + 2]) ?? Self.noRank
    }

    /// The same merges for long pieces. Node i is the part starting at byte `start + i`;
    /// `next`/`previous` link the live parts, and the heap holds `rank << 32 | i` for every pair
    /// ever formed. An entry whose pair has since changed is recognised and dropped when popped.
    func mergeLong<Sink: TokenSink>(_ text: [UInt8], _ start: Int, _ end: Int, into sink: inout Sink) {
        let count = end - start
        var next = Array(1...count)          // [count]: offset of the next part, count at the end
        var previous = Array(-1..<(count - 1))  // [count]: offset of the previous part, -1 first
        var pieceRank = (start..<end).map { byteRanks[Int(text[$0])] }
        var pairRank = [UInt32](repeating: Self.noRank, count: count)
        var heap = MinHeap()
        func rankOfPair(_ part: Int) -> UInt32 {
            let following = next[part]
            guard following < count else { return Self.noRank }
            return table.rank(of: text, start + part, start + next[following]) ?? Self.noRank
        }
        for part in 0..<count {
            pairRank[part] = rankOfPair(part)
            if pairRank[part] != Self.noRank { heap.push(UInt64(pairRank[part]) << 32 | UInt64(part)) }
        }
        while let top = heap.pop() {
            let rank = UInt32(top >> 32), part = Int(top & 0xFFFF_FFFF)
            guard next[part] >= 0, pairRank[part] == rank else { continue }  // merged away or changed
            let absorbed = next[part]
            let after = next[absorbed]
            next[part] = after
            if after < count { previous[after] = part }
            next[absorbed] = -1
            pairRank[absorbed] = Self.noRank
            pieceRank[part] = rank
            pairRank[part] = rankOfPair(part)
            if pairRank[part] != Self.noRank { heap.push(UInt64(pairRank[part]) << 32 | UInt64(part)) }
            let before = previous[part]
            if before >= 0 {
                pairRank[before] = rankOfPair(before)
                if pairRank[before] != Self.noRank { heap.push(UInt64(pairRank[before]) << 32 | UInt64(before)) }
            }
        }
        var part = 0
        while part < count {
            sink.append(pieceRank[part])
            part = next[part]
        }
    }
}

/// A binary min-heap of 64-bit keys.
private struct MinHeap {
    private var keys: [UInt64] = []

    mutating func push(_ key: UInt64) {
        keys.append(key)
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard keys[child] < keys[parent] else { break }
            keys.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let top = keys.first else { return nil }
        let last = keys.removeLast()
        if !keys.isEmpty {
            keys[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < keys.count, keys[left] < keys[smallest] { smallest = left }
                if right < keys.count, keys[right] < keys[smallest] { smallest = right }
                if smallest == parent { break }
                keys.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
