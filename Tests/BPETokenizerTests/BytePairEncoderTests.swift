@testable import BPETokenizer
import ModelIO
import TestSupport
import Testing

/// Merging by rank: the tree version for long pieces (PairQueue) makes the same merges as tiktoken's loop,
/// and long runs stay fast (tiktoken goes quadratic on them).
@Suite struct BytePairEncoderTests {
    static let vocabulary = Goldens.tokenizer.vocabulary

    static func merged(_ text: [UInt8], long: Bool, vocabulary: Vocabulary = vocabulary) -> [UInt32] {
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

    /// Vocabularies whose ranks are not in the order of merges, as a tiktoken file may have
    /// them (a piece ranked below a piece it is made of, so that a merge makes a pair of a lower
    /// rank than its own): every piece of two and three of a, b, c and 40 longer ones, ranked
    /// at random; random texts of a, b, c merged both ways.
    @Test(arguments: 0..<6)
    func longMergeEqualsTiktokensLoopWithRanksInAnyOrder(_ seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let letters: [UInt8] = Array("abc".utf8)
        var pieces = Set<[UInt8]>()
        for a in letters {
            for b in letters {
                pieces.insert([a, b])
                for c in letters { pieces.insert([a, b, c]) }
            }
        }
        while pieces.count < 36 + 40 {
            pieces.insert((0..<Int.random(in: 4...7, using: &random)).map { _ in letters.randomElement(using: &random)! })
        }
        let ranked = (0...255).map { [UInt8($0)] }
            + pieces.sorted { $0.lexicographicallyPrecedes($1) }.shuffled(using: &random)
        let vocabulary = try Vocabulary(rankedPieces: ranked, specialTokens: [], specialTokenNaming: "test", source: "test")
        for _ in 0..<10 {
            let text = (0..<Int.random(in: 97...1200, using: &random)).map { _ in letters.randomElement(using: &random)! }
            let long = Self.merged(text, long: true, vocabulary: vocabulary)
            #expect(long == Self.merged(text, long: false, vocabulary: vocabulary), "seed \(seed), \(text.count) bytes")
        }
    }

    @Test(arguments: ["a", "!", " ", "7", "ab", "\u{4E2D}", ".-"])
    func longRunsEncodeAndDecodeExactly(_ unit: String) throws {
        let text = String(repeating: unit, count: 40_000 / unit.utf8.count)
        let ids = Goldens.tokenizer.encode(text)
        #expect(try Goldens.tokenizer.decode(ids) == Array(text.utf8))
        #expect(ids.count < text.utf8.count, "runs merge into multi-byte pieces")
    }

    /// Long single pieces (runs of letters, spaces, newlines, punctuation and symbols of 97 bytes
    /// to 300 KB; digit runs too), ids from tiktoken at test time (Fixtures/tokenizer/long_pieces.py):
    /// the whole encoder, the count on one and three threads, and the long merge alone on each
    /// text that is one piece.
    @Test(.requiresFixtureVenv) func longPiecesEqualTiktoken() throws {
        let result = try runPython([
            TestSupport.fixture("tokenizer/long_pieces.py").path, TestSupport.officialVocabulary.path,
        ])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 30)
        var singlePieces = 0
        for line in lines {
            let value = try JSONParser.parse(Array(line))
            let name = value["case"]?.stringValue ?? "?"
            let text = UTF8Text(value["text"]?.stringValue ?? "")
            let expected = Goldens.integers(value["ids"])
            let ids = Goldens.tokenizer.encode(text)
            #expect(ids == expected, "\(name): \(firstDifference(ids, expected))")
            #expect(Goldens.tokenizer.count(text) == expected.count, "\(name)")
            #expect(Goldens.tokenizer.count(text, threads: 3) == expected.count, "\(name)")
            var pieces = 0
            PreSplitter(text.bytes).forEachPiece { _, _ in pieces += 1 }
            if pieces == 1 {
                singlePieces += 1
                #expect(Self.merged(text.bytes, long: true).map(Int.init) == expected, "\(name)")
            }
        }
        #expect(singlePieces >= 20, "most cases are one piece")
    }
}
