import ModelIO

/// Reads text from a stream in blocks of a few MiB that end at safe cut points (RestartPoints),
/// so a file of any size is tokenized with bounded memory and the same ids as in one piece.
/// In lossy mode each block is repaired here; otherwise the workers check their own ranges as
/// UTF-8 (in parallel: a serial check was a tenth of the work), and errors name the offset in
/// the whole input.
struct TextBlocks {
    let input: InputStream
    let blockSize: Int
    let lossy: Bool
    /// Reads everything as one block (needed by Meta's chunking, which counts from the start).
    let whole: Bool
    let specials: SpecialTokenMatcher?
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var finished = false
    private var readSize = 1 << 16
    /// Points of the pending bytes before this are no cut (searched already): a line with no cut
    /// point, read 1 MiB at a time, was searched 4 MiB deep at each read, a third of the time of
    /// counting 64 MiB of one letter.
    private var searchedUpTo = 0
    /// Reads stop growing at 1 MiB: a read is held twice for a moment (read, then appended).
    private static let largestRead = 1 << 20

    init(input: InputStream, blockSize: Int = 4 << 20, lossy: Bool, whole: Bool, specials: SpecialTokenMatcher?) {
        self.input = input
        self.blockSize = blockSize
        self.lossy = lossy
        self.whole = whole
        self.specials = specials
    }

    /// The next block, or nil at the end.
    mutating func next() throws -> TextBlock? {
        while !finished {
            // Reads start small and grow: a 4 MiB buffer for `echo hello` costs a thousand page
            // faults, more than its whole tokenization.
            let chunk = try input.read(maxBytes: readSize)
            readSize = min(readSize * 2, Self.largestRead)
            if chunk.isEmpty {
                finished = true
                break
            }
            append(chunk)
            if whole || pending.count < blockSize { continue }
            if let cut = lastCut() { return try take(cut) }
        }
        guard !pending.isEmpty else { return nil }
        return try take(pending.count)
    }

    /// Appends to the pending bytes, making room for a whole block at once: growing by doubling
    /// would leave a 4 MiB block in an 8 MiB buffer. Past that (a text with no cut point, or
    /// `whole`), room doubles.
    private mutating func append(_ chunk: [UInt8]) {
        let needed = pending.count + chunk.count
        if needed > pending.capacity {
            let blockRoom = blockSize + Self.largestRead
            pending.reserveCapacity(whole || needed > blockRoom ? max(needed, 2 * pending.capacity) : blockRoom)
        }
        pending.append(contentsOf: chunk)
    }

    /// The last safe cut in the pending bytes, searched backwards from the end down to the
    /// bytes searched before. The last few bytes wait for the next read: whether a point is a cut
    /// depends on the scalar at it (up to 4 bytes) and on special-token text around it, which the
    /// end of a read may cut short (a letter cut after its first byte looked like the end of a
    /// word, and the word was cut in two).
    private mutating func lastCut() -> Int? {
        let top = pending.count - max(4, specials?.longestName ?? 0)
        let floor = max(1, pending.count - blockSize, searchedUpTo)
        defer { searchedUpTo = max(searchedUpTo, top + 1) }
        var point = top
        while point >= floor {
            if pending[point] & 0xC0 != 0x80,
                RestartPoints.isSafe(pending, at: point, start: 0, end: pending.count),
                specials.map({ !$0.spans(pending, point: point, start: 0, end: pending.count) }) ?? true
            {
                return point
            }
            point -= 1
        }
        return nil
    }

    private mutating func take(_ count: Int) throws -> TextBlock {
        // The block keeps the pending buffer; only the few bytes after the cut are copied.
        var block = pending
        pending = Array(block[count...])
        block.removeLast(block.count - count)
        defer {
            pendingOffset += count
            searchedUpTo = 0
        }
        if lossy { return TextBlock(bytes: UTF8Text(lossy: block).bytes, baseOffset: pendingOffset, checked: true) }
        return TextBlock(bytes: block, baseOffset: pendingOffset, checked: false)
    }
}

/// A block of input: its bytes, where it starts in the input, and whether it is known to be UTF-8.
struct TextBlock: Sendable {
    var bytes: [UInt8]
    var baseOffset: Int
    var checked: Bool
}
