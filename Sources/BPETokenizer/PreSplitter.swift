/// The pre-split of Llama 3 (Meta's reference regex, as tiktoken's regex engine runs it):
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// written out as a scanner over the UTF-8 bytes of valid text, one Unicode scalar at a time
/// (never Characters: a grapheme would glue "\r\n" or a combining mark onto its neighbour).
/// At each position the regex takes the first alternative that matches, each quantifier as long
/// as it can; `pieceEnd(from:)` decides the same with at most two scalars of look-ahead, plus
/// the runs it scans. Tests compare it with the regex itself on generated strings.
struct PreSplitter {
    /// Valid UTF-8 (callers validate first; a malformed tail is still read safely as `other`).
    let bytes: [UInt8]
    /// Where the text ends: the regex's end of input, which `\s+(?!\S)` looks at.
    let end: Int
    let classifier: ScalarClassifier

    init(_ bytes: [UInt8], end: Int? = nil, classifier: ScalarClassifier = ScalarClassifier()) {
        self.bytes = bytes
        self.end = end ?? bytes.count
        self.classifier = classifier
    }

    /// Calls `body` with the byte range of every piece of `start..<end`, in order.
    @inline(__always)
    func forEachPiece(from start: Int = 0, _ body: (Int, Int) -> Void) {
        var position = start
        while position < end {
            let pieceEnd = pieceEnd(from: position)
            body(position, pieceEnd)
            position = pieceEnd
        }
    }

    /// The end of the piece that starts at `start` (which is less than `end`).
    func pieceEnd(from start: Int) -> Int {
        let (first, firstLength) = scalarClass(at: start)
        let firstByte = bytes[start]
        if firstByte == UInt8(ascii: "'"), let contraction = contractionEnd(after: start + 1) {
            return contraction
        }
        switch first {
        case .letter:
            return runEnd(of: .letter, from: start + firstLength)
        case .number:
            return numberEnd(from: start + firstLength)
        case .newline:
            return whitespaceEnd(from: start)
        case .other, .space:
            let second = start + firstLength
            guard second < end else {
                return first == .other ? second : whitespaceEnd(from: start)
            }
            let (next, nextLength) = scalarClass(at: second)
            // [^\r\n\p{L}\p{N}]?\p{L}+ : one non-letter, non-digit, non-newline before letters
            if next == .letter { return runEnd(of: .letter, from: second + nextLength) }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*` : an optional plain space, punctuation, then newlines
            if first == .other { return newlinesEnd(from: runEnd(of: .other, from: second)) }
            if firstByte == UInt8(ascii: " "), next == .other {
                return newlinesEnd(from: runEnd(of: .other, from: second + nextLength))
            }
            return whitespaceEnd(from: start)
        }
    }

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)` after the apostrophe at `position - 1`. Case-insensitive
    /// means Unicode simple case folding, so U+017F LATIN SMALL LETTER LONG S also matches "s".
    private func contractionEnd(after position: Int) -> Int? {
        guard position < end else { return nil }
        let letter = bytes[position] | 0x20  // ASCII lower case; other bytes never fold onto these
        switch letter {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return bytes[position] >= 0x80 ? nil : position + 1
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return followedBy("e", at: position + 1)
        case UInt8(ascii: "l"):
            return followedBy("l", at: position + 1)
        default:
            // ſ is C5 BF in UTF-8.
            if bytes[position] == 0xC5, position + 1 < end, bytes[position + 1] == 0xBF { return position + 2 }
            return nil
        }
    }

    private func followedBy(_ lower: Unicode.Scalar, at position: Int) -> Int? {
        guard position < end, bytes[position] | 0x20 == UInt8(ascii: lower), bytes[position] < 0x80 else { return nil }
        return position + 1
    }

    /// `\p{N}{1,3}`: the first number is already taken.
    private func numberEnd(from position: Int) -> Int {
        var position = position
        for _ in 0..<2 where position < end {
            let (next, length) = scalarClass(at: position)
            guard next == .number else { break }
            position += length
        }
        return position
    }

    /// `[\r\n]*`
    private func newlinesEnd(from position: Int) -> Int {
        var position = position
        while position < end, bytes[position] == 0x0A || bytes[position] == 0x0D { position += 1 }
        return position
    }

    /// The end of the run of scalars of class `wanted` starting at `position`.
    @inline(__always)
    private func runEnd(of wanted: ScalarClass, from position: Int) -> Int {
        var position = position
        while position < end {
            let (next, length) = scalarClass(at: position)
            guard next == wanted else { break }
            position += length
        }
        return position
    }

    /// The three white-space alternatives, tried in the regex's order on the run at `start`:
    /// `\s*[\r\n]+` ends after the run's last newline; else `\s+(?!\S)` takes the whole run at the
    /// end of the text, or all of it but its last scalar (which then starts the next piece);
    /// else `\s+` takes the single white-space scalar.
    private func whitespaceEnd(from start: Int) -> Int {
        var position = start
        var afterLastNewline: Int? = nil
        var lastStart = start
        while position < end {
            let (next, length) = scalarClass(at: position)
            guard next == .space || next == .newline else { break }
            if next == .newline { afterLastNewline = position + length }
            lastStart = position
            position += length
        }
        if let afterLastNewline { return afterLastNewline }
        if position == end { return position }
        return lastStart > start ? lastStart : position
    }

    /// The class and UTF-8 length of the scalar at `position`.
    @inline(__always)
    func scalarClass(at position: Int) -> (ScalarClass, Int) {
        let lead = bytes[position]
        if lead < 0x80 { return (classifier.ascii[Int(lead)], 1) }
        let (value, length) = decodeScalar(at: position, lead: lead)
        return (classifier.classOf(value), length)
    }

    @inline(__always)
    private func decodeScalar(at position: Int, lead: UInt8) -> (UInt32, Int) {
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard lead >= 0xC0, position + length <= end else { return (0xFFFF_FFFF, 1) }
        var value = UInt32(lead) & (0x7F >> length)
        for offset in 1..<length { value = value << 6 | UInt32(bytes[position + offset] & 0x3F) }
        return (value, length)
    }
}
