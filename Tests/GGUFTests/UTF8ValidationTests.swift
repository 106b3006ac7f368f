import Testing
@testable import GGUF

/// The vocabulary's UTF-8 check agrees with the standard library's validation.
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
