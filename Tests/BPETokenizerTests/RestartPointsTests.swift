@testable import BPETokenizer
import ModelIO
import Testing

/// Text may be cut only where the pre-split provably restarts: the two halves then give the
/// whole's ids. Checked at every safe point of every golden text, and for threads and blocks.
@Suite struct RestartPointsTests {
    @Test(arguments: Goldens.encoding.filter { !$0.special && $0.text.utf8.count < 600 })
    func cuttingAtEverySafePointKeepsTheIds(_ golden: Goldens.EncodingCase) {
        let bytes = Array(golden.text.utf8)
        for point in 1..<max(1, bytes.count) where bytes[point] & 0xC0 != 0x80 && RestartPoints.isSafe(bytes, at: point, start: 0, end: bytes.count) {
            let head = Goldens.tokenizer.encode(UTF8Text(String(decoding: bytes[..<point], as: UTF8.self)))
            let tail = Goldens.tokenizer.encode(UTF8Text(String(decoding: bytes[point...], as: UTF8.self)))
            #expect(head + tail == golden.ids, "\(golden.name): cut at byte \(point)")
        }
    }

    static let bigText: UTF8Text = {
        var text: [UInt8] = []
        var round = 0
        while text.count < 400_000 {
            for golden in Goldens.encoding where !golden.special { text += Array(golden.text.utf8) }
            text += Array(" round \(round)\n".utf8)
            round += 1
        }
        return UTF8Text(String(decoding: text, as: UTF8.self))
    }()

    @Test func idsDoNotDependOnThreads() {
        // Small tasks (16 KiB) so that this text is cut in many places.
        let one = Goldens.tokenizer.encode(Self.bigText, threads: 1)
        for threads in [2, 5] {
            #expect(Goldens.tokenizer.encode(Self.bigText, threads: threads, options: .init(), taskSize: 16 << 10) == one, "threads \(threads)")
        }
        #expect(Goldens.tokenizer.count(Self.bigText, threads: 3, options: .init(), taskSize: 16 << 10) == one.count)
    }

    /// Specials are never cut in half when they are parsed.
    @Test func cutsAvoidSpecialTokenText() {
        let text = Array(String(repeating: "word<|eot_id|>", count: 10_000).utf8)
        let matcher = SpecialTokenMatcher(Goldens.tokenizer.vocabulary.specialTokens)
        for range in RestartPoints.ranges(in: text, start: 0, end: text.count, size: 4096, specials: matcher) {
            #expect(range.lowerBound % 14 == 0 || range.lowerBound % 14 == 4, "cut at \(range.lowerBound)")
            #expect(!(5...13).contains(range.lowerBound % 14), "cut inside <|eot_id|> at \(range.lowerBound)")
        }
        let parsed = Tokenizer.Options(parseSpecial: true)
        #expect(Goldens.tokenizer.count(UTF8Text(String(decoding: text, as: UTF8.self)), threads: 4, options: parsed, taskSize: 4096) == 20_000)
    }
}
