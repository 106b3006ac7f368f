import ModelIO
import Synchronization

/// Tokenizing whole inputs (files, stdin, `.zst`): block by block, and inside each block in
/// ranges cut at safe points, one range per task across `threads` workers. Every `threads` value
/// gives the same ids, because the cuts never change the pieces (RestartPoints).
extension Tokenizer {
    /// Bytes per task: about four tasks per worker in a block, so that uneven tasks balance out,
    /// between 64 KiB (scheduling stays noise) and 256 KiB. A 4 MiB block on 64 threads makes 64
    /// tasks; on 2 threads, 16.
    static func taskSize(for byteCount: Int, threads: Int) -> Int {
        min(256 << 10, max(64 << 10, byteCount / max(1, threads * 4)))
    }

    public struct StreamOptions: Sendable {
        public var tokenizer: Options
        public var lossy: Bool
        public var threads: Int

        public init(tokenizer: Options = Options(), lossy: Bool = false, threads: Int = 1) {
            self.tokenizer = tokenizer
            self.lossy = lossy
            self.threads = threads
        }
    }

    /// The number of tokens in the whole input.
    public func count(_ input: InputStream, options: StreamOptions) throws -> Int {
        var total = 0
        try forEachBlock(input, options: options) { block in
            total += try count(block, source: input.name, threads: options.threads, options: options.tokenizer).reduce(0, +)
        }
        return total
    }

    /// Calls `body` with the ids of the input, block by block, in order.
    public func encode(_ input: InputStream, options: StreamOptions, _ body: ([Int]) throws -> Void) throws {
        try forEachBlock(input, options: options) { block in
            try body(try encode(block, source: input.name, threads: options.threads, options: options.tokenizer).flatMap { $0.map(Int.init) })
        }
    }

    /// `count(text)` computed on `threads` workers.
    public func count(_ text: UTF8Text, threads: Int, options: Options = Options()) -> Int {
        count(text, threads: threads, options: options, taskSize: Self.taskSize(for: text.bytes.count, threads: threads))
    }

    func count(_ text: UTF8Text, threads: Int, options: Options, taskSize: Int) -> Int {
        let block = TextBlock(bytes: text.bytes, baseOffset: 0, checked: true)
        return ((try? count(block, source: "", threads: threads, options: options, taskSize: taskSize)) ?? []).reduce(0, +)
    }

    /// `encode(text)` computed on `threads` workers.
    public func encode(_ text: UTF8Text, threads: Int, options: Options = Options()) -> [Int] {
        encode(text, threads: threads, options: options, taskSize: Self.taskSize(for: text.bytes.count, threads: threads))
    }

    func encode(_ text: UTF8Text, threads: Int, options: Options, taskSize: Int) -> [Int] {
        let block = TextBlock(bytes: text.bytes, baseOffset: 0, checked: true)
        return ((try? encode(block, source: "", threads: threads, options: options, taskSize: taskSize)) ?? []).flatMap { $0.map(Int.init) }
    }

    private func count(_ block: TextBlock, source: String, threads: Int, options: Options, taskSize: Int? = nil) throws -> [Int] {
        try inTasks(block, source: source, threads: threads, options: options, taskSize: taskSize) { range in
            var sink = TokenCounter()
            encode(block.bytes, range.lowerBound, range.upperBound, options: options, into: &sink)
            return sink.count
        }
    }

    private func encode(_ block: TextBlock, source: String, threads: Int, options: Options, taskSize: Int? = nil) throws -> [[UInt32]] {
        try inTasks(block, source: source, threads: threads, options: options, taskSize: taskSize) { range in
            var sink = TokenList()
            encode(block.bytes, range.lowerBound, range.upperBound, options: options, into: &sink)
            return sink.ids
        }
    }

    /// Runs `work` on each task's range of the block, in parallel, after checking that range as
    /// UTF-8 when the block is unchecked; throws the error of the earliest bad range.
    private func inTasks<Result: Sendable>(
        _ block: TextBlock, source: String, threads: Int, options: Options, taskSize: Int?,
        _ work: @Sendable (Range<Int>) -> Result
    ) throws -> [Result] {
        let size = taskSize ?? Self.taskSize(for: block.bytes.count, threads: threads)
        let parts = partition(block.bytes, threads: threads, options: options, taskSize: size)
        let results = Mutex([Result?](repeating: nil, count: parts.count))
        let firstInvalid = Mutex([Int?](repeating: nil, count: parts.count))
        try parallelFor(0..<parts.count, threads: threads) { index in
            let range = parts[index]
            if !block.checked, let bad = UTF8Text.firstInvalidOffset(block.bytes, from: range.lowerBound, to: range.upperBound) {
                firstInvalid.withLock { $0[index] = bad }
                return
            }
            let result = work(range)
            results.withLock { $0[index] = result }
        }
        if let bad = firstInvalid.withLock({ $0.lazy.compactMap { $0 }.first }) {
            throw UTF8Text.invalidError(block.bytes, at: bad, source: source, baseOffset: block.baseOffset)
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    private func partition(_ bytes: [UInt8], threads: Int, options: Options, taskSize: Int) -> [Range<Int>] {
        // Meta's chunking counts characters from the start of the text: it stays in one piece.
        guard threads > 1, !options.metaChunking, bytes.count > taskSize else {
            return [0..<bytes.count]
        }
        return RestartPoints.ranges(
            in: bytes, start: 0, end: bytes.count, size: taskSize,
            specials: options.parseSpecial ? specials : nil)
    }

    private func forEachBlock(_ input: InputStream, options: StreamOptions, _ body: (TextBlock) throws -> Void) throws {
        var blocks = TextBlocks(
            input: input, lossy: options.lossy, whole: options.tokenizer.metaChunking,
            specials: options.tokenizer.parseSpecial ? specials : nil)
        while let block = try blocks.next() { try body(block) }
    }
}
