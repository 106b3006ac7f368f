import BPETokenizer
import Foundation
@testable import LlamaLayout
import ModelIO
import Testing
import TestSupport

/// The vocabulary <-> GGUF tokenizer keys bridge, below the file level.
@Suite struct VocabularyBridgeTests {
    /// The official tokenizer.model's pieces, rank order (test-side reader: `base64 rank` lines).
    static func officialPieces() throws -> [[UInt8]] {
        let text = try String(contentsOf: TestSupport.officialVocabulary, encoding: .utf8)
        return try text.split(separator: "\n").enumerated().map { rank, line in
            let fields = line.split(separator: " ")
            guard fields.count == 2, Int(fields[1]) == rank, let bytes = Data(base64Encoded: String(fields[0])) else {
                throw FileError(file: TestSupport.officialVocabulary.path, "unexpected line \(rank)")
            }
            return [UInt8](bytes)
        }
    }

    @Test func byteLevelFormMatchesGPT2ForLandmarkBytes() {
        #expect(ByteLevelAlphabet.spell(Array(" ".utf8)) == "Ġ")
        #expect(ByteLevelAlphabet.spell([0x0A]) == "Ċ")
        #expect(ByteLevelAlphabet.spell([0x00]) == "Ā")
        #expect(ByteLevelAlphabet.spell([0x7F]) == "ġ")
        #expect(ByteLevelAlphabet.spell([0xAD]) == "Ń")  // soft hyphen, the last byte that moves
        #expect(ByteLevelAlphabet.spell(Array("hello".utf8)) == "hello")
        #expect(ByteLevelAlphabet.spell([0xC3, 0xA9]) == "Ã©")  // "é" as its two UTF-8 bytes
    }

    @Test func everyByteRoundTripsAndTheMappingIsOneToOne() {
        let all = (0...255).map(UInt8.init)
        let text = ByteLevelAlphabet.spell(all)
        #expect(Set(text.unicodeScalars).count == 256)
        #expect(ByteLevelAlphabet.bytes(of: text) == all)
        #expect(ByteLevelAlphabet.bytes(of: "Ġ\u{0144}") == nil)  // U+0144 is past the mapping
        #expect(ByteLevelAlphabet.bytes(of: "€") == nil)
    }

    @Test(.requiresFixtureVenv) func keysOfTheOfficialVocabularyMatchTransformersConversion() throws {
        let pieces = try Self.officialPieces()
        let merges = MergeRecovery.merges(rankedPieces: pieces)
        #expect(merges.count == 280_147)  // the merge count of Meta's Llama 3 tokenizer.json
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokensFile = folder.appendingPathComponent("tokens.txt")
        let mergesFile = folder.appendingPathComponent("merges.txt")
        try pieces.map { ByteLevelAlphabet.spell($0) + "\n" }.joined().write(to: tokensFile, atomically: false, encoding: .utf8)
        try merges.map { MergeRecovery.text($0, pieces: pieces) + "\n" }.joined()
            .write(to: mergesFile, atomically: false, encoding: .utf8)
        let result = try runPython([
            TestSupport.fixture("vocabulary-bridge/check_merges.py").path,
            TestSupport.officialVocabulary.path, tokensFile.path, mergesFile.path,
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText == "ok: 128000 tokens, 280147 merges\n")
    }

    @Test func keysReadBackToTheSameRanksAndSpecialTokens() throws {
        let pieces = try Self.officialPieces()
        let specials = [(id: 128_000, name: "<|begin_of_text|>"), (id: 128_009, name: "<|eot_id|>")]
        let keys = GGUFVocabularyKeys(rankedPieces: pieces, specialTokens: specials, bosTokenID: 128_000, eosTokenID: 128_009)
        #expect(keys.tokens.count == 128_010)
        #expect(keys.tokens[128_001] == "[PAD128001]" && keys.tokenTypes[128_001] == 5)
        #expect(keys.tokens[128_009] == "<|eot_id|>" && keys.tokenTypes[128_009] == 3)
        #expect(keys.tokens[220] == "Ġ" && keys.tokenTypes[220] == 1)
        let decoded = try keys.decode(file: "test.gguf")
        #expect(decoded == (try keys.decode(file: "test.gguf", exactMergeCheck: true)))
        #expect(decoded.rankedPieces == pieces)
        #expect(decoded.specialTokens.map(\.id) == [128_000, 128_009])
        #expect(decoded.specialTokens.map(\.name) == ["<|begin_of_text|>", "<|eot_id|>"])
    }

    /// A four-piece toy vocabulary: bytes "a", "b", then "ab" (rank 2) and "abb" (rank 3) would
    /// need all 256 bytes in a real one; the bridge does not care.
    static func toyKeys() -> GGUFVocabularyKeys {
        GGUFVocabularyKeys(
            tokens: ["a", "b", "ab", "abb", "<|s|>"], tokenTypes: [1, 1, 1, 1, 3], merges: ["a b", "ab b"])
    }

    @Test(arguments: [false, true])
    func toyKeysDecode(exactMergeCheck: Bool) throws {
        let decoded = try Self.toyKeys().decode(file: "toy.gguf", exactMergeCheck: exactMergeCheck)
        #expect(decoded.rankedPieces == [[0x61], [0x62], [0x61, 0x62], [0x61, 0x62, 0x62]])
        #expect(decoded.specialTokens.map(\.name) == ["<|s|>"])
    }

    @Test(arguments: [
        ("model", "toy.gguf: tokenizer.ggml.model is \"llama\", expected \"gpt2\" (byte-level BPE, as Llama 3 uses)"),
        ("order", "toy.gguf: tokenizer.ggml.tokens[4] is a normal token after special or unused ones; expected all normal tokens first"),
        ("type", "toy.gguf: tokenizer.ggml.token_type[1] is 9, expected 1 (normal), 3 (control), 4 (user-defined) or 5 (unused)"),
        ("types", "toy.gguf: tokenizer.ggml.token_type has 2 entries, expected one per token (5)"),
        ("form", "toy.gguf: tokenizer.ggml.tokens[1] \"b€\" is not in byte-level (GPT-2 byte-to-unicode) form"),
        ("merge", "toy.gguf: tokenizer.ggml.merges[0] \"a  b\" is not two normal tokens separated by a space"),
        ("result", "toy.gguf: tokenizer.ggml.merges[1] \"b b\" makes a piece that is not a token"),
        ("merge order", "toy.gguf: tokenizer.ggml.merges[1] \"a b\" makes token 2 after a merge made token 3; expected merges in the order of the tokens they make"),
        ("unmade", "toy.gguf: tokenizer.ggml.tokens[3] \"abb\" is made by no merge in tokenizer.ggml.merges"),
    ])
    func brokenKeysAreRefusedNamingTheKeyAndIndex(_ defect: String, _ message: String) {
        var keys = Self.toyKeys()
        switch defect {
        case "model": keys.model = "llama"
        case "order": keys.tokenTypes = [1, 1, 1, 3, 1]
        case "type": keys.tokenTypes[1] = 9
        case "types": keys.tokenTypes = [1, 1]
        case "form": keys.tokens[1] = "b€"
        case "merge": keys.merges[0] = "a  b"
        case "result": keys.merges[1] = "b b"
        case "merge order": keys.merges = ["ab b", "a b"]
        default: keys.merges = ["a b"]
        }
        for exact in [false, true] {
            #expect(throws: FileError.self) { try keys.decode(file: "toy.gguf", exactMergeCheck: exact) }
            do {
                _ = try keys.decode(file: "toy.gguf", exactMergeCheck: exact)
            } catch {
                #expect("\(error)" == message, "exact merge check: \(exact)")
            }
        }
    }
}
