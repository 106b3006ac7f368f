import ModelIO

/// Text the tokenizer accepts: bytes known to be valid UTF-8 (every piece of the pre-split is
/// then a sequence of whole scalars). Invalid input is refused with the offset of the first bad
/// byte (ModelIO's UTF8Validation), or, in lossy mode, has each maximal invalid subsequence
/// replaced by U+FFFD as Python's `errors="replace"` and Swift's String(decoding:) do.
public struct UTF8Text: Sendable {
    public let bytes: [UInt8]

    public init(_ string: String) {
        bytes = Array(string.utf8)
    }

    /// - Parameters:
    ///   - source: the file name used in the error
    ///   - baseOffset: where `bytes` starts in that file (for text read in blocks)
    public init(validating bytes: [UInt8], source: String, baseOffset: Int = 0) throws {
        if let bad = UTF8Validation.firstInvalidOffset(bytes) {
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
        if UTF8Validation.firstInvalidOffset(bytes) == nil {
            self.bytes = bytes
        } else {
            self.bytes = Array(String(decoding: bytes, as: UTF8.self).utf8)
        }
    }
}

