import ModelIO
import Synchronization

/// `count --jsonl-field NAME`: the tokens of one string field of every JSON line (blank lines are
/// skipped). Lines are read in blocks and counted in groups across threads; a line that is not
/// an object with that string field is an error naming its line number, the first such line in
/// the file whatever the thread count.
extension Tokenizer {
    static let linesPerTask = 512

    /// The count of each non-blank line, in order.
    public func countJSONLinesField(_ input: InputStream, field: String, options: StreamOptions) throws -> [Int] {
        var counts: [Int] = []
        let encoders = makeEncoders(threads: options.threads)
        var pending: [UInt8] = []
        var pendingOffset = 0
        var lineNumber = 1
        var finished = false
        while !finished {
            let chunk = try input.read(maxBytes: 1 << 20)
            finished = chunk.isEmpty
            pending += chunk
            guard let lastNewline = finished ? pending.count - 1 : pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            if pending.isEmpty { break }
            let block = Array(pending[...lastNewline])
            pending.removeFirst(lastNewline + 1)
            let (blockCounts, nextLine) = try countLines(
                of: block, baseOffset: pendingOffset, firstLine: lineNumber, field: field, source: input.name, options: options,
                encoders: encoders)
            counts += blockCounts
            lineNumber = nextLine
            pendingOffset += block.count
        }
        return counts
    }

    private struct Line: Sendable {
        var range: Range<Int>
        var number: Int
    }

    /// The counts of the block's non-blank lines, and the number of the line after the block.
    private func countLines(
        of block: [UInt8], baseOffset: Int, firstLine: Int, field: String, source: String, options: StreamOptions,
        encoders: WorkerStates<BytePairEncoder>
    ) throws -> (counts: [Int], nextLine: Int) {
        var found: [Line] = []
        var number = firstLine
        for range in ByteSearch.split(block, at: UInt8(ascii: "\n")) {
            if block[range].contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) { found.append(Line(range: range, number: number)) }
            number += 1
        }
        let lines = found  // a constant for the workers
        let groups = stride(from: 0, to: lines.count, by: Self.linesPerTask).map { $0..<min($0 + Self.linesPerTask, lines.count) }
        let results = Mutex([Result<[Int], FileError>](repeating: .success([]), count: groups.count))
        parallelFor(0..<groups.count, threads: options.threads, states: encoders) { encoder, group in
            let result = Result { () throws(FileError) -> [Int] in
                var counts: [Int] = []
                counts.reserveCapacity(groups[group].count)
                for index in groups[group] {
                    let text = try fieldText(block, lines[index], field: field, source: source, baseOffset: baseOffset)
                    counts.append(count(UTF8Text(text), options: options.tokenizer, encoder: &encoder))
                }
                return counts
            }
            results.withLock { $0[group] = result }
        }
        return (try results.withLock { $0 }.flatMap { try $0.get() }, number - 1)
    }

    private func fieldText(_ block: [UInt8], _ line: Line, field: String, source: String, baseOffset: Int) throws(FileError) -> String {
        let value: JSONValue
        do {
            value = try JSONParser.parse(block[line.range], file: source, baseOffset: baseOffset + line.range.lowerBound)
        } catch let error as FileError {
            throw FileError(file: error.file, offset: error.offset, "line \(line.number): \(error.message)")
        } catch {
            throw FileError(file: source, offset: baseOffset + line.range.lowerBound, "line \(line.number): \(error)")
        }
        guard let text = value[field]?.stringValue else {
            throw FileError(file: source, offset: baseOffset + line.range.lowerBound, "line \(line.number) has no string field \"\(field)\"")
        }
        return text
    }
}
