/// Where the encoder puts ids: a list for `tokenize`, just a number for `count`
/// (counting never stores ids, so its memory does not grow with the text).
protocol TokenSink {
    mutating func append(_ id: UInt32)
}

struct TokenList: TokenSink {
    var ids: [UInt32] = []
    @inline(__always) mutating func append(_ id: UInt32) { ids.append(id) }
}

struct TokenCounter: TokenSink {
    var count = 0
    @inline(__always) mutating func append(_ id: UInt32) { count += 1 }
}
