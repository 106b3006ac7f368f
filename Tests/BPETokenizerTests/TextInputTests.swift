@testable import BPETokenizer
import ModelIO
import Testing

/// What text the tokenizer accepts, and how Meta's optional chunking cuts it.
@Suite struct TextInputTests {
    @Test(arguments: [
        ([0x61, 0xFF], 1), ([0xC0, 0x80], 0), ([0x61, 0xED, 0xA0, 0x80], 1), ([0xF4, 0x90, 0x80, 0x80], 0),
        ([0x61, 0x62, 0xE2, 0x82], 2), ([0x80], 0), ([0xF0, 0x9F, 0x98, 0x80, 0xC3], 4),
    ] as [([UInt8], Int)])
    func invalidUTF8IsFoundAtItsOffset(_ bytes: [UInt8], _ offset: Int) {
        #expect { try UTF8Text(validating: bytes, source: "f.txt", baseOffset: 100) } throws: {
            "\($0)".hasPrefix("f.txt: at byte \(100 + offset): expected UTF-8 text")
        }
    }

    @Test func lossyModeReplacesInvalidBytes() {
        #expect(UTF8Text(lossy: [0x61, 0xFF, 0x62]).bytes == Array("a\u{FFFD}b".utf8))
    }

    @Test func metaChunkingCutsRunsOver25000() {
        let text = Array((String(repeating: "a", count: 30_000) + " b").utf8)
        #expect(MetaChunking.ranges(text) == [0..<25_000, 25_000..<30_002])
        let spaces = Array((String(repeating: " ", count: 25_001)).utf8)
        #expect(MetaChunking.ranges(spaces) == [0..<25_000, 25_000..<25_001])
        #expect(MetaChunking.ranges(Array("short text".utf8)) == [0..<10])
        // A range of a larger text, read where it lies: offsets into the whole text.
        let framed = Array("xyz".utf8) + text + Array("\u{00E9}".utf8)
        #expect(MetaChunking.ranges(framed, start: 3, end: 3 + text.count) == [3..<25_003, 25_003..<30_005])
        #expect(MetaChunking.ranges(framed, start: 3) == [3..<25_003, 25_003..<framed.count])
    }

    @Test func metaChunkingOnlyChangesHugeRuns() {
        let ordinary = "Normal text with words, 12345 numbers and\nlines."
        #expect(Goldens.tokenizer.encode(ordinary, options: .init(metaChunking: true)) == Goldens.tokenizer.encode(ordinary))
        let huge = String(repeating: "a", count: 30_000)
        let chunked = Goldens.tokenizer.encode(huge, options: .init(metaChunking: true))
        #expect(chunked == Goldens.tokenizer.encode(String(repeating: "a", count: 25_000)) + Goldens.tokenizer.encode(String(repeating: "a", count: 5_000)))
    }
}

extension TextInputTests {
    /// Arbitrary bytes never crash anything: lossy text encodes, and decoding gives it back.
    @Test func randomBytesRoundTripInLossyMode() throws {
        var state: UInt64 = 7
        for length in [1, 2, 3, 7, 31, 200, 2000] {
            let bytes = (0..<length).map { _ -> UInt8 in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            let text = UTF8Text(lossy: bytes)
            #expect(UTF8Validation.firstInvalidOffset(text.bytes) == nil)
            let ids = Goldens.tokenizer.encode(text)
            #expect(try Goldens.tokenizer.decode(ids) == text.bytes)
            #expect(Goldens.tokenizer.count(text, threads: 3) == ids.count)
        }
    }
}
