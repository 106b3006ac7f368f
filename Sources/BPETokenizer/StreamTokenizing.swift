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

    /// The most ids `encode(_:options:_:)` hands out at once.
    static let idSlice = 1 << 16

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
        let encoders = makeEncoders(threads: options.threads)
        try forEachBlock(input, options: options) { block in
            let parts = partition(block.bytes, options: options.tokenizer, taskSize: Self.taskSize(for: block.bytes.count, threads: options.threads))
            total += try inTasksChecking(block, parts[...], source: input.name, threads: options.threads, encoders: encoders) { range, encoder in
                var sink = TokenCounter()
                encode(block.bytes, range.lowerBound, range.upperBound, options: options.tokenizer, encoder: &encoder, into: &sink)
                return sink.count
            }.reduce(0, +)
        }
        return total
    }

    /// Calls `body` with the ids of the input in order, a task's ids at a time (a few hundred KiB
    /// of text's worth; a very long piece's in slices of `idSlice`), so that they can be written
    /// out as they come.
    ///
    /// Tasks run in waves of two per thread, each wave's ids handed out before the next starts:
    /// memory then holds a wave's ids, not a block's.
    public func encode(_ input: InputStream, options: StreamOptions, _ body: ([Int]) throws -> Void) throws {
        let encoders = makeEncoders(threads: options.threads)
        try forEachBlock(input, options: options) { block in
            let parts = partition(block.bytes, options: options.tokenizer, taskSize: Self.taskSize(for: block.bytes.count, threads: options.threads))
            let waveSize = 2 * max(1, options.threads)
            for wave in stride(from: 0, to: parts.count, by: waveSize) {
                let wave = parts[wave..<min(wave + waveSize, parts.count)]
                let ids = try inTasksChecking(block, wave, source: input.name, threads: options.threads, encoders: encoders) { range, encoder in
                    var sink = TokenList()
                    encode(block.bytes, range.lowerBound, range.upperBound, options: options.tokenizer, encoder: &encoder, into: &sink)
                    return sink.ids
                }
                // Handed out in slices: a long piece's ids as [Int] all at once took 8 bytes an
                // id beside the 4 of the list (350 MB for 64 MiB of random punctuation).
                for taskIDs in ids {
                    var from = 0
                    while from < taskIDs.count {
                        let to = min(taskIDs.count, from + Self.idSlice)
                        try body(taskIDs[from..<to].map(Int.init))
                        from = to
                    }
                }
            }
        }
    }

    /// `count(text)` computed on `threads` workers.
    public func count(_ text: UTF8Text, threads: Int, options: Options = Options()) -> Int {
        count(text, threads: threads, options: options, taskSize: Self.taskSize(for: text.bytes.count, threads: threads))
    }

    func count(_ text: UTF8Text, threads: Int, options: Options, taskSize: Int) -> Int {
        let parts = partition(text.bytes, options: options, taskSize: taskSize)
        return inTasks(parts[...], threads: threads, encoders: makeEncoders(threads: threads)) { range, encoder in
            var sink = TokenCounter()
            encode(text.bytes, range.lowerBound, range.upperBound, options: options, encoder: &encoder, into: &sink)
            return sink.count
        }.reduce(0, +)
    }

    /// `encode(text)` computed on `threads` workers.
    public func encode(_ text: UTF8Text, threads: Int, options: Options = Options()) -> [Int] {
        encode(text, threads: threads, options: options, taskSize: Self.taskSize(for: text.bytes.count, threads: threads))
    }

    func encode(_ text: UTF8Text, threads: Int, options: Options, taskSize: Int) -> [Int] {
        let parts = partition(text.bytes, options: options, taskSize: taskSize)
        return inTasks(parts[...], threads: threads, encoders: makeEncoders(threads: threads)) { range, encoder in
            var sink = TokenList()
            encode(text.bytes, range.lowerBound, range.upperBound, options: options, encoder: &encoder, into: &sink)
            return sink.ids
        }.flatMap { $0.map(Int.init) }
    }

    /// A task's outcome on a block not yet known to be UTF-8: its result, or where its range
    /// stops being UTF-8.
    private enum Checked<Result: Sendable>: Sendable {
        case done(Result)
        case invalid(at: Int)
    }

    /// `inTasks` on ranges of a block read from a stream: when the block is unchecked, each task
    /// first checks its own range as UTF-8 (in parallel: a serial check was a tenth of the work).
    /// Throws the error of the earliest bad range, whatever the thread count.
    private func inTasksChecking<Result: Sendable>(
        _ block: TextBlock, _ parts: ArraySlice<Range<Int>>, source: String, threads: Int,
        encoders: WorkerStates<BytePairEncoder>, _ work: @Sendable (Range<Int>, inout BytePairEncoder) -> Result
    ) throws(FileError) -> [Result] {
        let outcomes = inTasks(parts, threads: threads, encoders: encoders) { range, encoder in
            if !block.checked, let bad = UTF8Validation.firstInvalidOffset(block.bytes, from: range.lowerBound, to: range.upperBound) {
                return Checked<Result>.invalid(at: bad)
            }
            return .done(work(range, &encoder))
        }
        var results: [Result] = []
        results.reserveCapacity(outcomes.count)
        for outcome in outcomes {
            switch outcome {
            case .done(let result): results.append(result)
            case .invalid(let bad): throw UTF8Text.invalidError(block.bytes, at: bad, source: source, baseOffset: block.baseOffset)
            }
        }
        return results
    }

    /// One encoder per worker, for all the calls of a whole input.
    func makeEncoders(threads: Int) -> WorkerStates<BytePairEncoder> {
        WorkerStates(count: max(1, threads)) { makeEncoder() }
    }

    /// Runs `work` on each range, on `threads` workers, each with its own encoder from
    /// `encoders`; the results in the order of the ranges.
    private func inTasks<Result: Sendable>(
        _ parts: ArraySlice<Range<Int>>, threads: Int, encoders: WorkerStates<BytePairEncoder>,
        _ work: @Sendable (Range<Int>, inout BytePairEncoder) -> Result
    ) -> [Result] {
        let parts = Array(parts)
        let results = Mutex([Result?](repeating: nil, count: parts.count))
        parallelFor(0..<parts.count, threads: threads, states: encoders) { encoder, index in
            let result = work(parts[index], &encoder)
            results.withLock { $0[index] = result }
        }
        return results.withLock { slots in
            slots.map { slot in
                guard let slot else { preconditionFailure("parallelFor returned without running every index") }
                return slot
            }
        }
    }

    /// Ranges of about `taskSize` bytes, cut at safe points. Cut whatever the thread count, so
    /// that `tokenize` holds a task's ids at a time, never a block's.
    private func partition(_ bytes: [UInt8], options: Options, taskSize: Int) -> [Range<Int>] {
        // Meta's chunking counts characters from the start of the text: it stays in one piece.
        guard !options.metaChunking, bytes.count > taskSize else {
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
