import BPETokenizer
import Foundation
import ModelIO
import Testing
import TestSupport

/// tokenizer.json files: merges as "a b" strings or [a, b] pairs, pieces in GPT-2 spelling.
@Suite struct TokenizerJSONTests {
    static func parse(_ json: String) throws -> Vocabulary {
        try VocabularyFile.parse(ByteSource(bytes: Array(json.utf8), name: "t.json"))
    }

    /// A 1000-rank vocabulary written as tokenizer.json; ids from tiktoken on the same ranks.
    @Test func smallFileGivesTiktokensIds() throws {
        let source = try ByteSource(mapping: TestSupport.fixture("tokenizer/small-tokenizer.json").path)
        let tokenizer = Tokenizer(vocabulary: try VocabularyFile.parse(source))
        #expect(tokenizer.vocabulary.rankCount == 1000)
        #expect(tokenizer.vocabulary.specialID(named: "<|eot_id|>") == 1009)
        for golden in Goldens.lines("tokenizer/small-tokenizer-goldens.jsonl") {
            let text = golden["text"]?.stringValue ?? ""
            #expect(tokenizer.encode(text) == Goldens.integers(golden["ids"]), "\(text)")
        }
    }

    /// The official vocabulary converted to tokenizer.json (merges as pairs) is the same vocabulary.
    @Test(.requiresFixtureVenv) func officialVocabularyAsTokenizerJSONIsTheSame() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("tokenizer.json").path
        let made = try runPython([
            TestSupport.fixture("tokenizer/make_tokenizer_json.py").path, path, "--merges", "pairs",
            "--vocab", TestSupport.officialVocabulary.path,
        ])
        #expect(made.status == 0, "\(made)")
        let fromJSON = try VocabularyFile.parse(try ByteSource(mapping: path))
        let official = Goldens.tokenizer.vocabulary
        #expect(fromJSON.rankCount == official.rankCount)
        let differing = (0..<official.rankCount).first { fromJSON.pieceBytes(rank: $0) != official.pieceBytes(rank: $0) }
        #expect(differing == nil, "rank \(differing ?? -1) differs")
        #expect(fromJSON.specialTokens == official.specialTokens)
    }

    @Test func mergeThatJoinsNoPiecesIsAnError() {
        let bytes = (0..<256).map { "\"\(ByteLevelAlphabet.spell([UInt8($0)]).unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined())\": \($0)" }
        let json = #"{"model":{"type":"BPE","vocab":{"# + bytes.joined(separator: ",") + #"},"merges":["a b"]}}"#
        #expect { try Self.parse(json) } throws: { "\($0)".contains("merge 0 does not join") }
    }

    @Test func modelThatIsNotBPEIsRefused() {
        #expect { try Self.parse(#"{"model":{"type":"Unigram","vocab":[]}}"#) } throws: { "\($0)".contains("expected a BPE model") }
    }

    @Test func byteLevelSpellingRoundTrips() {
        let all = (0...255).map(UInt8.init)
        #expect(ByteLevelAlphabet.bytes(of: ByteLevelAlphabet.spell(all)) == all)
        #expect(ByteLevelAlphabet.spell([0x20]) == "\u{0120}")  // "Ġ"
        #expect(ByteLevelAlphabet.bytes(of: " ") == nil)
    }
}
