import Testing
@testable import ModelIO

@Suite struct LayoutArithmeticTests {
    @Test(arguments: [(0, 32, 0), (1, 32, 31), (33, 32, 31), (64, 32, 0), (13, 8, 3), (16, 8, 0)])
    func paddingReachesTheNextMultiple(_ testCase: (count: Int, alignment: Int, padding: Int)) {
        #expect(padding(after: testCase.count, toMultipleOf: testCase.alignment) == testCase.padding)
    }

    @Test func elementCountIsTheProductOrNilForALyingShape() {
        #expect(checkedElementCount([]) == 1)
        #expect(checkedElementCount([2, 3, 4]) == 24)
        #expect(checkedElementCount([0, Int.max]) == 0)
        #expect(checkedElementCount([2, -1]) == nil)
        #expect(checkedElementCount([Int.max, 2]) == nil)
        #expect(checkedElementCount([1 << 32, 1 << 31]) == nil)
    }

    @Test func integersAreAppendedLowByteFirst() {
        var bytes: [UInt8] = [0xAA]
        bytes.appendLittleEndian(UInt32(0x0403_0201))
        bytes.appendLittleEndian(Int16(-2))
        bytes.appendLittleEndian(UInt8(7))
        #expect(bytes == [0xAA, 0x01, 0x02, 0x03, 0x04, 0xFE, 0xFF, 0x07])
    }
}

/// `--shard-size` and `--split-max-size` read sizes as gguf-split does: M = 10^6, G = 10^9 bytes.
@Suite struct ByteSizeTextTests {
    @Test func plainBytesAndDecimalSuffixes() {
        #expect(parseByteSize("64") == 64)
        #expect(parseByteSize("500M") == 500 * 1000 * 1000)
        #expect(parseByteSize("5G") == 5 * 1000 * 1000 * 1000)
        #expect(parseByteSize("2g") == 2 * 1000 * 1000 * 1000)
    }

    @Test(arguments: ["", "M", "0", "-5", "1.5G", "5K", "5GB", " 5", "99999999999999999999G", "9999999999999G"])
    func refusesAnythingElse(text: String) {
        #expect(parseByteSize(text) == nil)
    }
}
