import Testing
import ModelIO

/// The UTF-8 check (GGUF strings, tokenizer input) agrees with the standard library's validation.
@Suite struct UTF8ValidationTests {
    static func agrees(_ bytes: [UInt8]) -> Bool {
        let ours = bytes.withUnsafeBytes { UTF8Validation.isValid($0) }
        return ours == (String(validating: bytes, as: UTF8.self) != nil)
    }

    @Test(arguments: [
        [], [0x41], [0xC3, 0xA9], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80],
        [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
        [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80], [0xC3],
        [0xE2, 0x82], [0xFF], [0xC4, 0xA0, 0x74, 0x68, 0x65],
    ] as [[UInt8]])
    func edgeCasesAgreeWithTheStandardLibrary(_ bytes: [UInt8]) {
        #expect(Self.agrees(bytes), "\(bytes)")
    }

    @Test func randomBytesAgreeWithTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        // Bytes drawn mostly from lead and continuation ranges, where the rules live.
        let pool: [UInt8] = Array(0x7E...0x81) + Array(0xBE...0xC3) + Array(0xDF...0xE1) + Array(0xEC...0xEE)
            + Array(0xEF...0xF5) + [0x9F, 0xA0, 0x8F, 0x90, 0xFF]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...6, using: &generator)
            let bytes = (0..<length).map { _ in pool.randomElement(using: &generator)! }
            #expect(Self.agrees(bytes), "\(bytes)")
        }
    }
}

extension UTF8ValidationTests {
    /// Moved from the tokenizer's TextInputTests with the check itself.
    @Test(arguments: [
        ([0x61, 0xFF], 1), ([0xC0, 0x80], 0), ([0x61, 0xED, 0xA0, 0x80], 1), ([0xF4, 0x90, 0x80, 0x80], 0),
        ([0x61, 0x62, 0xE2, 0x82], 2), ([0x80], 0), ([0xF0, 0x9F, 0x98, 0x80, 0xC3], 4),
    ] as [([UInt8], Int)])
    func invalidUTF8IsFoundAtItsOffset(_ bytes: [UInt8], _ offset: Int) {
        #expect(UTF8Validation.firstInvalidOffset(bytes) == offset)
    }

    @Test func validTextHasNoInvalidOffset() {
        #expect(UTF8Validation.firstInvalidOffset(Array("ok \u{10FFFF} 😀".utf8)) == nil)
    }

    /// Longer strings, where ASCII runs are skipped eight bytes at a time: the first bad byte is
    /// found wherever it falls relative to those eight-byte steps.
    @Test func badBytesAfterAsciiRunsAreFoundAtEveryAlignment() {
        for asciiRun in 0..<20 {
            for bad: [UInt8] in [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x80]] {
                let bytes = [UInt8](repeating: 0x61, count: asciiRun) + bad + Array("tail text".utf8)
                #expect(UTF8Validation.firstInvalidOffset(bytes) == asciiRun, "\(asciiRun) \(bad)")
                let valid = [UInt8](repeating: 0x61, count: asciiRun) + Array("é😀 tail".utf8)
                #expect(UTF8Validation.firstInvalidOffset(valid) == nil)
            }
        }
    }

    /// A range is checked on its own, and offsets are indices of the whole array.
    @Test func rangesAreCheckedAloneWithOffsetsInTheWholeArray() {
        let bytes = Array("abc".utf8) + [0xE2, 0x82, 0xAC] + Array("defghijkl".utf8) + [0xFF]
        #expect(UTF8Validation.firstInvalidOffset(bytes) == 15)
        #expect(UTF8Validation.firstInvalidOffset(bytes, from: 0, to: 15) == nil)
        #expect(UTF8Validation.firstInvalidOffset(bytes, from: 0, to: 4) == 3)  // the euro sign cut short
        #expect(UTF8Validation.firstInvalidOffset(bytes, from: 4, to: 15) == 4)  // a continuation byte first
        #expect(UTF8Validation.firstInvalidOffset(bytes, from: 6, to: 16) == 15)
    }

    @Test func longRandomStringsAgreeWithTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        let pool: [UInt8] = Array(0x61...0x7A) + Array(0x61...0x7A) + [0x80, 0xBF, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0xED, 0xA0]
        for _ in 0..<5_000 {
            let length = Int.random(in: 7...40, using: &generator)
            let bytes = (0..<length).map { _ in pool.randomElement(using: &generator)! }
            #expect(Self.agrees(bytes), "\(bytes)")
        }
    }
}
