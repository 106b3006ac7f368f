import ModelIO

/// Reads a tiktoken BPE file such as Llama 3's tokenizer.model: one piece per line,
/// `base64(bytes) SPACE rank` (empty lines ignored, as tiktoken does). The ranks must be
/// 0 ..< number of pieces, each once, in any order.
public enum TiktokenFile {
    /// The ranked pieces of the file, rank 0 first.
    public static func rankedPieces(_ source: ByteSource) throws -> [[UInt8]] {
        let text = try source.bytes(offset: 0, length: source.count, expected: "the whole file")
        var lines: [(start: Int, space: Int, end: Int)] = []
        var lineStart = 0
        var space = -1
        for index in 0...text.count {
            let atLineEnd = index == text.count || text[index] == UInt8(ascii: "\n")
            if atLineEnd {
                var end = index
                if end > lineStart, text[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                if end > lineStart {
                    guard space > lineStart else {
                        throw FileError(file: source.name, offset: lineStart, "expected \"BASE64 RANK\" on the line")
                    }
                    lines.append((lineStart, space, end))
                }
                lineStart = index + 1
                space = -1
            } else if text[index] == UInt8(ascii: " "), space < 0 {
                space = index
            }
        }
        var pieces = [[UInt8]?](repeating: nil, count: lines.count)
        for line in lines {
            let rank = try parseRank(text, line.space + 1, line.end, source: source.name, count: lines.count)
            guard let bytes = Base64.decode(text, line.start, line.space) else {
                throw FileError(file: source.name, offset: line.start, "expected the piece's bytes in base64")
            }
            guard pieces[rank] == nil else {
                throw FileError(file: source.name, offset: line.space + 1, "rank \(rank) appears twice")
            }
            pieces[rank] = bytes
        }
        // Every slot is filled: lines.count ranks, each below lines.count, none twice.
        return pieces.map { $0 ?? [] }
    }

    private static func parseRank(_ text: [UInt8], _ start: Int, _ end: Int, source: String, count: Int) throws -> Int {
        var value = 0
        guard start < end, end - start <= 10 else {
            throw FileError(file: source, offset: start, "expected a decimal rank after the space")
        }
        for index in start..<end {
            let digit = Int(text[index]) - Int(UInt8(ascii: "0"))
            guard (0...9).contains(digit) else {
                throw FileError(file: source, offset: start, "expected a decimal rank after the space")
            }
            value = value * 10 + digit
        }
        guard value < count else {
            throw FileError(file: source, offset: start, "rank \(value) is not below the number of pieces (\(count))")
        }
        return value
    }
}
