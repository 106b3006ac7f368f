/// Byte-level BPE by rank, as tiktoken does it: start from single bytes and repeatedly merge the
/// adjacent pair whose joined bytes have the lowest rank (the leftmost one on ties) until no
/// adjacent pair is a piece.
///
/// Most pieces of text are a piece of the vocabulary already, found with one lookup. Others are
/// merged with tiktoken's simple loop (quadratic, but fastest for short pieces), and pieces longer
/// than `longThreshold` bytes with a tree of pair-rank minimums (PairQueue), O(n log n) in time
/// and about 4.3 bytes per byte of the piece in memory, where tiktoken's loop is quadratic in
/// the length of the piece. Both give the same merges: the tree finds the lowest rank at its
/// leftmost position, which is the pair the simple loop's leftmost-minimum scan picks.
struct BytePairEncoder {
    let table: PieceTable
    let byteRanks: [UInt32]
    static let longThreshold = 96

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
        } else if end - start <= Self.longThreshold {
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

    /// The same merges for long pieces, in about 4.3 bytes per byte of the piece (PairQueue):
    /// the part starting at byte i of the piece holds, at i, the rank of the pair it makes with
    /// the next part. The lowest pair, leftmost on ties, is the one the simple loop would merge;
    /// merging it changes the pair at the merged part and at the part before it.
    func mergeLong<Sink: TokenSink>(_ text: [UInt8], _ start: Int, _ end: Int, into sink: inout Sink) {
        let count = end - start
        var pairs = PairQueue(count: count)
        for part in 0..<(count - 1) {
            pairs[part] = table.rank(of: text, start + part, start + part + 2) ?? PairQueue.noPair
        }
        pairs.build()
        guard pairs.minimum < PairQueue.noPair else { return emitParts(of: pairs, text, start, into: &sink) }
        var part = pairs.leftmostMinimum()
        while true {
            let rank = pairs[part]
            let absorbed = pairs.nextPart(part)
            let after = pairs.nextPart(absorbed)
            pairs[absorbed] = PairQueue.inside
            pairs[part] = after < count
                ? table.rank(of: text, start + part, start + pairs.nextPart(after)) ?? PairQueue.noPair
                : PairQueue.noPair
            let before = pairs.previousPart(part)
            if before >= 0 {
                pairs[before] = table.rank(of: text, start + before, start + after) ?? PairQueue.noPair
            }
            pairs.refresh(changed: part, absorbed, before)
            // The next pair to merge. The pairs that changed hold longer bytes than the piece of
            // `rank`, so none of them has that rank: a pair of the same rank is further right
            // (every pair before `part` was of a higher rank), and a lower one is one of them.
            let lowest = pairs.minimum
            if lowest >= PairQueue.noPair { break }
            if lowest == rank {
                part = pairs.leftmostMinimum(after: part)
            } else if lowest < rank {
                part = before >= 0 && pairs[before] == lowest ? before : part
            } else {
                part = pairs.leftmostMinimum()
            }
        }
        emitParts(of: pairs, text, start, into: &sink)
    }

    /// The ids of the parts left when merging ends.
    private func emitParts<Sink: TokenSink>(of pairs: PairQueue, _ text: [UInt8], _ start: Int, into sink: inout Sink) {
        let count = pairs.count
        var parts = 0
        for position in 0..<count where pairs[position] != PairQueue.inside { parts += 1 }
        sink.reserve(parts)
        var part = 0
        while part < count {
            let next = pairs.nextPart(part)
            if next - part == 1 {
                sink.append(byteRanks[Int(text[start + part])])
            } else {
                // A part longer than a byte was made by a merge, so it is a piece.
                guard let rank = table.rank(of: text, start + part, start + next) else {
                    preconditionFailure("a merged part is not a piece")
                }
                sink.append(rank)
            }
            part = next
        }
    }
}
