import BPETokenizer
import ModelIO
import Testing

/// Building a vocabulary from ranked pieces (what the GGUF bridge does) and reading it back.
@Suite struct VocabularyTests {
    static let bytes = (0...255).map { [UInt8($0)] }

    @Test func buildsFromRankedPiecesAndReadsThemBack() throws {
        let vocabulary = try Vocabulary(
            rankedPieces: Self.bytes + [[0x61, 0x62]], specialTokens: [SpecialToken(id: 300, name: "<|x|>")],
            specialTokenNaming: "test", source: "test")
        #expect(vocabulary.rankCount == 257)
        #expect(vocabulary.idCount == 301)
        #expect(vocabulary.pieceBytes(rank: 256) == [0x61, 0x62])
        #expect(vocabulary.rank(of: [0x61, 0x62]) == 256)
        #expect(vocabulary.specialToken(id: 300)?.name == "<|x|>")
        #expect(Tokenizer(vocabulary: vocabulary).encode("ab") == [256])
    }

    @Test func everySingleByteMustBeAPiece() {
        #expect { try Vocabulary(rankedPieces: Array(Self.bytes.dropLast()), specialTokens: [], specialTokenNaming: "", source: "v") }
            throws: { "\($0)".contains("byte 255 has none") }
    }

    @Test func repeatedPieceIsRefused() {
        #expect { try Vocabulary(rankedPieces: Self.bytes + [[0x41]], specialTokens: [], specialTokenNaming: "", source: "v") }
            throws: { "\($0)".contains("rank 256 repeats rank 65") }
    }

    @Test func specialIdsMustFollowThePiecesAndDiffer() {
        #expect { try Vocabulary(rankedPieces: Self.bytes, specialTokens: [SpecialToken(id: 3, name: "<s>")], specialTokenNaming: "", source: "v") }
            throws: { "\($0)".contains("expected at least 256") }
        #expect {
            try Vocabulary(rankedPieces: Self.bytes, specialTokens: [SpecialToken(id: 256, name: "<a>"), SpecialToken(id: 256, name: "<b>")], specialTokenNaming: "", source: "v")
        } throws: { "\($0)".contains("share id 256") }
    }

    @Test func officialSpecialTokensFollowLlamaModels030() {
        let vocabulary = Goldens.tokenizer.vocabulary
        #expect(vocabulary.idCount == 128_256)
        #expect(vocabulary.specialID(named: "<|eot_id|>") == 128_009)
        #expect(vocabulary.specialID(named: "<|python_tag|>") == 128_010)
        #expect(vocabulary.specialID(named: "<|reserved_special_token_2|>") == 128_012)
        #expect(vocabulary.specialID(named: "<|reserved_special_token_245|>") == 128_255)
    }
}
