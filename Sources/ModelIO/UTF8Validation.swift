/// UTF-8 well-formedness (Unicode's table 3-7: no overlongs, no surrogates, nothing past
/// U+10FFFF), checked without making a String: the one check behind GGUF strings and the
/// tokenizer's input.
///
/// GGUF vocabularies are checked whole when a file opens. Most of their 128K tokens hold a
/// non-ASCII byte (GPT-2's byte-level spelling writes a leading space as U+0120), and going
/// through `String(validating:)` for each cost 25 ms per 128K tokens (generic metadata lookups
/// per call); this loop costs under 1 ms. Text is mostly ASCII, so runs of ASCII are skipped
/// eight bytes at a time.
public enum UTF8Validation {
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        firstInvalidOffset(bytes) == nil
    }

    /// The index in `bytes` of the first byte of `bytes[start ..< end]` that does not begin a
    /// valid sequence ending inside that range; nil if the range is valid UTF-8.
    public static func firstInvalidOffset(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) -> Int? {
        let end = end ?? bytes.count
        precondition(0 <= start && start <= end && end <= bytes.count, "range \(start) ..< \(end) outside \(bytes.count) bytes")
        return bytes.withUnsafeBytes { raw in
            firstInvalidOffset(UnsafeRawBufferPointer(rebasing: raw[start..<end])).map { start + $0 }
        }
    }

    /// The offset of the first byte that does not begin a valid sequence, or nil.
    /// Reads only `bytes[0 ..< bytes.count]`: every index is checked against `count` before use.
    public static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        var index = 0
        while index < count {
            while count - index >= 8,
                bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let (continuations, low, high) = rule(for: lead)
            guard continuations > 0, count - index > continuations else { return index }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return index }
            var next = 2
            while next <= continuations {
                guard bytes[index + next] & 0xC0 == 0x80 else { return index }
                next += 1
            }
            index += continuations + 1
        }
        return nil
    }

    /// For a lead byte: how many continuation bytes follow, and the range the first must be in.
    /// 0 continuations means the byte cannot start a sequence.
    private static func rule(for lead: UInt8) -> (continuations: Int, low: UInt8, high: UInt8) {
        switch lead {
        case 0xC2...0xDF: (1, 0x80, 0xBF)
        case 0xE0: (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (2, 0x80, 0xBF)
        case 0xED: (2, 0x80, 0x9F)
        case 0xF0: (3, 0x90, 0xBF)
        case 0xF1...0xF3: (3, 0x80, 0xBF)
        case 0xF4: (3, 0x80, 0x8F)
        default: (0, 0, 0)
        }
    }
}
