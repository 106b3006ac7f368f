/// The pairs of a long piece being merged (BytePairEncoder.mergeLong), in 4 bytes per byte of
/// the piece plus a quarter byte for a tree: `values[i]` is the rank of the pair that the part
/// starting at byte i makes with the next part, `noPair` when the two do not join into a piece
/// (or there is no next part), `inside` when byte i is not the start of a part. Parts are pieces
/// of the vocabulary or single bytes, so the next and previous parts are found by stepping over
/// `inside` values, at most the longest piece's length: no links are stored.
///
/// The lowest pair, leftmost on ties, is found with a tree of minimums over blocks of 32 values
/// (a leaf is a block's minimum, a node the minimum of its two children): going down from the
/// root, the left child whenever it holds the minimum, then the first value in the block that
/// equals it. This replaced a linked list of Int and a heap of every pair ever formed, which took
/// about 36 bytes per byte (2.3 GB for a 64 MiB run of one letter).
struct PairQueue {
    /// Not a pair: a part whose pair with the next part is not a piece, or the last part.
    static let noPair = UInt32.max - 1
    /// Not the start of a part (the byte is inside a part that starts before it).
    static let inside = UInt32.max
    private static let blockShift = 5

    private(set) var values: [UInt32]
    /// tree[1] is the root; node k has children 2k and 2k + 1; block b's leaf is `leafBase + b`.
    private var tree: [UInt32]
    private let leafBase: Int

    /// `values` of `count` parts, all `noPair`; the caller sets them, then calls `build()`.
    init(count: Int) {
        values = [UInt32](repeating: Self.noPair, count: count)
        let blocks = (count + (1 << Self.blockShift) - 1) >> Self.blockShift
        var leaves = 1
        while leaves < blocks { leaves <<= 1 }
        leafBase = leaves
        tree = [UInt32](repeating: Self.inside, count: 2 * leaves)
    }

    var count: Int { values.count }

    subscript(position: Int) -> UInt32 {
        get { values[position] }
        set { values[position] = newValue }
    }

    /// Makes the tree from `values`.
    mutating func build() {
        for block in 0..<((count + (1 << Self.blockShift) - 1) >> Self.blockShift) {
            tree[leafBase + block] = blockMinimum(block)
        }
        var node = leafBase - 1
        while node >= 1 {
            tree[node] = min(tree[2 * node], tree[2 * node + 1])
            node -= 1
        }
    }

    /// The lowest value of all.
    var minimum: UInt32 { tree[1] }

    /// The first position holding `minimum`.
    func leftmostMinimum() -> Int {
        let target = tree[1]
        var node = 1
        while node < leafBase { node = tree[2 * node] == target ? 2 * node : 2 * node + 1 }
        var position = (node - leafBase) << Self.blockShift
        while values[position] != target { position += 1 }
        return position
    }

    /// The first position after `position` holding `minimum`, when no position before it does:
    /// the rest of its block, then the first block to the right whose leaf holds the minimum,
    /// found by climbing from its leaf. Merges of one rank go from left to right, so this is
    /// usually the same block or the next, where going down from the root took 20 steps.
    func leftmostMinimum(after position: Int) -> Int {
        let target = tree[1]
        let block = position >> Self.blockShift
        let blockEnd = min(values.count, (block + 1) << Self.blockShift)
        var next = position + 1
        while next < blockEnd {
            if values[next] == target { return next }
            next += 1
        }
        var node = leafBase + block
        while node > 1 {
            if node & 1 == 0, tree[node + 1] == target {
                node += 1
                while node < leafBase { node = tree[2 * node] == target ? 2 * node : 2 * node + 1 }
                next = (node - leafBase) << Self.blockShift
                while values[next] != target { next += 1 }
                return next
            }
            node >>= 1
        }
        return leftmostMinimum()
    }

    /// Brings the tree up to date after a merge changed the values at `part`, `absorbed` (after
    /// it) and `before` (before it, or -1): each of their blocks once.
    @inline(__always)
    mutating func refresh(changed part: Int, _ absorbed: Int, _ before: Int) {
        let block = part >> Self.blockShift
        refresh(block: block)
        if absorbed >> Self.blockShift != block { refresh(block: absorbed >> Self.blockShift) }
        if before >= 0, before >> Self.blockShift != block { refresh(block: before >> Self.blockShift) }
    }

    /// Brings the tree up to date after values in `block` changed.
    private mutating func refresh(block: Int) {
        var node = leafBase + block
        let lowest = blockMinimum(block)
        if tree[node] == lowest { return }
        tree[node] = lowest
        while node > 1 {
            let parent = node >> 1
            let value = min(tree[2 * parent], tree[2 * parent + 1])
            if tree[parent] == value { break }
            tree[parent] = value
            node = parent
        }
    }

    /// The start of the part after the one starting at `position` (`count` after the last).
    @inline(__always)
    func nextPart(_ position: Int) -> Int {
        var next = position + 1
        while next < values.count, values[next] == Self.inside { next += 1 }
        return next
    }

    /// The start of the part before the one starting at `position` (-1 before the first).
    @inline(__always)
    func previousPart(_ position: Int) -> Int {
        var previous = position - 1
        while previous >= 0, values[previous] == Self.inside { previous -= 1 }
        return previous
    }

    private func blockMinimum(_ block: Int) -> UInt32 {
        let from = block << Self.blockShift
        let to = min(values.count, from + (1 << Self.blockShift))
        var lowest = Self.inside
        for position in from..<to { lowest = min(lowest, values[position]) }
        return lowest
    }
}
