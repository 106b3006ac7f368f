import ModelIO
import Synchronization

/// Tokenizing whole inputs (files, stdin, `.zst`): block by block, and inside each block in
/// ranges cut at safe points, one range per task across `threads` workers. Every `threads` value
/// gives the same ids, because the cuts never change the pieces (RestartPoints).
extension Tokenizer {
    /// Bytes per task: large enough that scheduling is noise, small enough to balance 2-64 cores.
    static let taskSize = 256 << 10

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
        try forEachBlock(input, options: options) { text in
            total += count(text, threads: options.threads, options: options.tokenizer)
        }
        return total
    }

    /// Calls `body` with the ids of the input, block by block, in order.
    public func encode(_ input: InputStream, options: StreamOptions, _ body: ([Int]) throws -> Void) throws {
        try forEachBlock(input, options: options) { text in
            try body(encode(text, threads: options.threads, options: options.tokenizer))
        }
    }

    /// `count(text)` computed on `threads` workers.
    public func count(_ text: UTF8Text, threads: Int, options: Options = Options()) -> Int {
        count(text, threads: threads, options: options, taskSize: Self.taskSize)
    }

    func count(_ text: UTF8Text, threads: Int, options: Options, taskSize: Int) -> Int {
        let parts = partition(text, threads: threads, options: options, taskSize: taskSize)
        let counts = Mutex([Int](repeating: 0, count: parts.count))
        try? parallelFor(0..<parts.count, threads: threads) { index in
            var sink = TokenCounter()
            encode(text.bytes, parts[index].lowerBound, parts[index].upperBound, options: options, into: &sink)
            counts.withLock { $0[index] = sink.count }
        }
        return counts.withLock { $0.reduce(0, +) }
    }

    /// `encode(text)` computed on `threads` workers.
    public func encode(_ text: UTF8Text, threads: Int, options: Options = Options()) -> [Int] {
        encode(text, threads: threads, options: options, taskSize: Self.taskSize)
    }

    func encode(_ text: UTF8Text, threads: Int, options: Options, taskSize: Int) -> [Int] {
        let parts = partition(text, threads: threads, options: options, taskSize: taskSize)
        let results = Mutex([[UInt32]](repeating: [], count: parts.count))
        try? parallelFor(0..<parts.count, threads: threads) { index in
            var sink = TokenList()
            encode(text.bytes, parts[index].lowerBound, parts[index].upperBound, options: options, into: &sink)
            results.withLock { $0[index] = sink.ids }
        }
        return results.withLock { $0.flatMap { $0.map(Int.init) } }
    }

    private func partition(_ text: UTF8Text, threads: Int, options: Options, taskSize: Int) -> [Range<Int>] {
        // Meta's chunking counts characters from the start of the text: it stays in one piece.
        guard threads > 1, !options.metaChunking, text.bytes.count > taskSize else {
            return [0..<text.bytes.count]
        }
        return RestartPoints.ranges(
            in: text.bytes, start: 0, end: text.bytes.count, size: taskSize,
            specials: options.parseSpecial ? specials : nil)
    }

    private func forEachBlock(_ input: InputStream, options: StreamOptions, _ body: (UTF8Text) throws -> Void) throws {
        var blocks = TextBlocks(
            input: input, lossy: options.lossy, whole: options.tokenizer.metaChunking,
            specials: options.tokenizer.parseSpecial ? specials : nil)
        while let block = try blocks.next() { try body(block) }
    }
}
