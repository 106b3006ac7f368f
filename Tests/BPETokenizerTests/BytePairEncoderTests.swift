@testable import BPETokenizer
import Testing

/// Merging by rank: the tree version for long pieces (PairQueue) makes the same merges as tiktoken's loop,
/// and long runs stay fast (tiktoken goes quadratic on them).
@Suite struct BytePairEncoderTests {
    static let vocabulary = Goldens.tokenizer.vocabulary

    static func merged(_ text: [UInt8], long: Bool) -> [UInt32] {
        var encoder = BytePairEncoder(table: vocabulary.table, byteRanks: vocabulary.byteRanks)
        var list = TokenList()
        if long {
            encoder.mergeLong(text, 0, text.count, into: &list)
        } else {
            encoder.mergeShort(text, 0, text.count, into: &list)
        }
        return list.ids
    }

    /// Every golden text taken as a single piece (so most need many merges), both ways.
    @Test(arguments: Goldens.encoding.filter { !$0.text.isEmpty && $0.text.utf8.count < 400 })
    func longMergeEqualsTiktokensLoop(_ golden: Goldens.EncodingCase) {
        let bytes = Array(golden.text.utf8)
        #expect(Self.merged(bytes, long: true) == Self.merged(bytes, long: false), "\(golden.name)")
    }

    @Test(arguments: ["a", "!", " ", "7", "ab", "\u{4E2D}", ".-"])
    func longRunsEncodeAndDecodeExactly(_ unit: String) throws {
        let text = String(repeating: unit, count: 40_000 / unit.utf8.count)
        let ids = Goldens.tokenizer.encode(text)
        #expect(try Goldens.tokenizer.decode(ids) == Array(text.utf8))
        #expect(ids.count < text.utf8.count, "runs merge into multi-byte pieces")
    }
}
