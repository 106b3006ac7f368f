import ModelIO

/// Text the tokenizer accepts: bytes known to be valid UTF-8 (every piece of the pre-split is
/// then a sequence of whole scalars). Invalid input is refused with the offset of the first bad
/// byte, or, in lossy mode, has each maximal invalid subsequence replaced by U+FFFD as Python's
/// `errors="replace"` and Swift's String(decoding:) do.
public struct UTF8Text: Sendable {
    public let bytes: [UInt8]

    public init(_ string: String) {
        bytes = Array(string.utf8)
    }

    /// - Parameters:
    ///   - source: the file name used in the error
    ///   - baseOffset: where `bytes` starts in that file (for text read in blocks)
    public init(validating bytes: [UInt8], source: String, baseOffset: Int = 0) throws {
        if let bad = Self.firstInvalidOffset(bytes) {
            throw Self.invalidError(bytes, at: bad, source: source, baseOffset: baseOffset)
        }
        self.bytes = bytes
    }

    static func invalidError(_ bytes: [UInt8], at bad: Int, source: String, baseOffset: Int) -> FileError {
        FileError(
            file: source, offset: baseOffset + bad,
            "expected UTF-8 text, found an invalid byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) (use --lossy to replace invalid bytes with U+FFFD)")
    }

    /// Replaces invalid sequences with U+FFFD.
    public init(lossy bytes: [UInt8]) {
        if Self.firstInvalidOffset(bytes) == nil {
            self.bytes = bytes
        } else {
            self.bytes = Array(String(decoding: bytes, as: UTF8.self).utf8)
        }
    }


    /// The offset of the first byte that does not belong to a valid UTF-8 sequence
    /// (no overlong forms, no surrogates, nothing above U+10FFFF), or nil.
    public static func firstInvalidOffset(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) -> Int? {
        var index = start
        let count = end ?? bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the allowed range of the second byte
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return index
            }
            guard index + 1 < count, bytes[index + 1] >= low, bytes[index + 1] <= high else { return index }
            for continuation in 2..<length {
                guard index + continuation < count, bytes[index + continuation] & 0xC0 == 0x80 else { return index }
            }
            index += length
        }
        return nil
    }
}
