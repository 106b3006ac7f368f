import BPETokenizer
import ModelIO
import Testing

/// A tiktoken BPE file: `base64 rank` per line; bad lines name their byte offset.
@Suite struct TiktokenFileTests {
    static func pieces(_ text: String) throws -> [[UInt8]] {
        try TiktokenFile.rankedPieces(ByteSource(bytes: Array(text.utf8), name: "t.model"))
    }

    @Test func readsRanksInAnyOrder() throws {
        #expect(try Self.pieces("YWI= 1\nYQ== 0\n\n") == [[0x61], [0x61, 0x62]])
    }

    @Test func badBase64NamesTheLine() {
        #expect { try Self.pieces("YQ== 0\nY!== 1\n") } throws: { "\($0)" == "t.model: at byte 7: expected the piece's bytes in base64" }
    }

    @Test func rankOutsideTheFileIsRefused() {
        #expect { try Self.pieces("YQ== 5\n") } throws: { "\($0)".contains("at byte 5: rank 5 is not below the number of pieces (1)") }
    }

    @Test func repeatedRankIsRefused() {
        #expect { try Self.pieces("YQ== 0\nYg== 0\n") } throws: { "\($0)".contains("at byte 12: rank 0 appears twice") }
    }

    @Test func lineWithoutRankIsRefused() {
        #expect { try Self.pieces("YQ==\n") } throws: { "\($0)".contains("at byte 0: expected \"BASE64 RANK\"") }
    }
}
