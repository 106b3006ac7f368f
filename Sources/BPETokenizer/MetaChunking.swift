/// Meta's reference `Tokenizer.encode` (llama-models) cuts text before encoding: into slices of
/// 400,000 characters, then wherever a run of white space or of non-white space (Python's
/// `str.isspace`) grows past 25,000 characters. tiktoken's `encode_ordinary` does not, and the two
/// give different ids only on such huge runs. Off by default (`--meta-chunking`).
enum MetaChunking {
    static let sliceLength = 400_000
    static let runLength = 25_000

    /// The byte ranges of `text[start ..< end]` (the whole text by default) that Meta's encoder
    /// tokenizes one by one, as offsets into `text` (read where it lies: no copy). Characters are
    /// Unicode scalars, as Python's str counts them.
    static func ranges(_ text: [UInt8], start: Int = 0, end: Int? = nil) -> [Range<Int>] {
        let end = end ?? text.count
        var ranges: [Range<Int>] = []
        var sliceStart = start, characters = 0
        var pieceStart = start, runLength = 0, runIsSpace = false
        var position = start
        while position < end {
            let (value, length) = scalar(text, at: position, end: end)
            if characters == sliceLength {
                ranges.append(pieceStart..<position)
                sliceStart = position
                pieceStart = position
                characters = 0
            }
            let isSpace = PythonWhitespace.contains(value)
            if position == sliceStart {
                runIsSpace = isSpace
                runLength = 1
            } else if isSpace != runIsSpace {
                runIsSpace = isSpace
                runLength = 1
            } else {
                runLength += 1
                if runLength > runLength25k {
                    ranges.append(pieceStart..<position)
                    pieceStart = position
                    runLength = 1
                }
            }
            characters += 1
            position += length
        }
        ranges.append(pieceStart..<end)
        return ranges.filter { !$0.isEmpty }
    }

    private static let runLength25k = runLength

    private static func scalar(_ text: [UInt8], at position: Int, end: Int) -> (UInt32, Int) {
        let lead = text[position]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard position + length <= end else { return (0xFFFD, 1) }
        var value = UInt32(lead) & (0x7F >> length)
        for offset in 1..<length { value = value << 6 | UInt32(text[position + offset] & 0x3F) }
        return (value, length)
    }
}
