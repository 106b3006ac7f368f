/// Where the encoder puts ids: a list for `tokenize`, just a number for `count`
/// (counting never stores ids, so its memory does not grow with the text).
protocol TokenSink {
    mutating func append(_ id: UInt32)
    /// Room for `count` more ids, told before a long piece's ids come.
    mutating func reserve(_ count: Int)
}

extension TokenSink {
    mutating func reserve(_ count: Int) {}
}

struct TokenList: TokenSink {
    var ids: [UInt32] = []
    @inline(__always) mutating func append(_ id: UInt32) { ids.append(id) }

    /// Grows once to hold a long piece's ids: growing by doubling while they come held the old
    /// and the new buffer at once (up to 3 times the ids), next to the merge's own arrays.
    mutating func reserve(_ count: Int) {
        let needed = ids.count + count
        if needed > ids.capacity { ids.reserveCapacity(max(needed, 2 * ids.capacity)) }
    }
}

struct TokenCounter: TokenSink {
    var count = 0
    @inline(__always) mutating func append(_ id: UInt32) { count += 1 }
}
