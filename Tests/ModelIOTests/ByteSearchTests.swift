import ModelIO
import Testing

@Suite struct ByteSearchTests {
    @Test func splitGivesTheRangesBetweenSeparators() {
        let bytes = Array("ab\n\ncd\nefghijklmnopqrstuvwxyz0123456789\n".utf8)
        #expect(ByteSearch.split(bytes, at: 0x0A) == [0..<2, 3..<3, 4..<6, 7..<39, 40..<40])
        #expect(ByteSearch.split(Array("no separator".utf8), at: 0x0A) == [0..<12])
        #expect(ByteSearch.split([], at: 0x0A) == [0..<0])
        #expect(ByteSearch.split([0x0A], at: 0x0A) == [0..<0, 1..<1])
    }

    /// The same ranges as a byte-by-byte scan, on random bytes with few and many separators.
    @Test func splitAgreesWithAByteByByteScan() {
        var state: UInt64 = 11
        for length in [1, 5, 16, 33, 200, 5000] {
            for density: UInt64 in [2, 16, 256] {
                let bytes = (0..<length).map { _ -> UInt8 in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return (state >> 33) % density == 0 ? 0x0A : 0x61
                }
                var expected: [Range<Int>] = [], start = 0
                for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A {
                    expected.append(start..<index)
                    start = index + 1
                }
                #expect(ByteSearch.split(bytes, at: 0x0A) == expected, "\(length) \(density)")
            }
        }
    }
}
