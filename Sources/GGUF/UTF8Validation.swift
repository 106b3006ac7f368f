/// UTF-8 well-formedness (Unicode's table 3-7: no overlongs, no surrogates, nothing past
/// U+10FFFF), checked without making a String.
///
/// GGUF vocabularies are checked whole when a file opens. Most of their 128K tokens hold a
/// non-ASCII byte (GPT-2's byte-level spelling writes a leading space as U+0120), and going
/// through `String(validating:)` for each cost 25 ms per 128K tokens on this machine (generic
/// metadata lookups per call); this loop costs under 1 ms.
enum UTF8Validation {
    /// Reads only `bytes[0 ..< bytes.count]`: every index is checked against `count` before use.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let (continuations, low, high) = rule(for: lead)
            guard continuations > 0, count - index > continuations else { return false }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return false }
            var next = 2
            while next <= continuations {
                guard bytes[index + next] & 0xC0 == 0x80 else { return false }
                next += 1
            }
            index += continuations + 1
        }
        return true
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
