@testable import BPETokenizer
import Foundation
import ModelIO
import TestSupport
import Testing

/// The hand-written scanner must cut exactly where the Llama 3 regex does (pieces from the
/// `regex` module, cross-checked against tiktoken by the generator).
@Suite struct PreSplitterTests {
    static func pieces(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var pieces: [String] = []
        PreSplitter(bytes).forEachPiece { start, end in pieces.append(String(decoding: bytes[start..<end], as: UTF8.self)) }
        return pieces
    }

    @Test(arguments: Goldens.presplit)
    func piecesEqualTheRegex(_ golden: Goldens.PresplitCase) {
        let pieces = Self.pieces(golden.text)
        #expect(pieces.map { Array($0.unicodeScalars) } == golden.pieces.map { Array($0.unicodeScalars) },
                "got \(pieces.map(\.debugDescription)), expected \(golden.pieces.map(\.debugDescription))")
    }

    @Test func scalarsNotGraphemes() {
        // "\r\n" is one Character and e + U+0301 is one Character; the regex sees scalars.
        #expect(Self.pieces("a\r\nb") == ["a", "\r\n", "b"])
        // Combining marks are not letters (\p{L}): they start pieces of their own, as the regex does.
        #expect(Self.pieces("Cu\u{0301}a Vie\u{0323}\u{0302}t") == ["Cu", "\u{0301}a", " Vie", "\u{0323}\u{0302}", "t"])
    }

    @Test func whitespaceBeforeAWordStaysWithTheLastSpace() {
        #expect(Self.pieces("a   b") == ["a", "  ", " b"])
        #expect(Self.pieces("a   ") == ["a", "   "])
        #expect(Self.pieces("a \n\n b") == ["a", " \n\n", " b"])
    }

    @Test func unicode16TablesNotTheToolchains() {
        // U+10940 is a letter in Unicode 17 only; tiktoken (Unicode 16) treats it as punctuation.
        #expect(ScalarClass.of(0x10940) == .other)
        #expect(ScalarClass.of(0x10D50) == .letter)  // Garay, new in Unicode 16
        #expect(ScalarClass.of(0x001C) == .other)  // not White_Space, though Python's isspace says so
        #expect(ScalarClass.of(0x0085) == .space)
    }
}

extension PreSplitterTests {
    /// The committed tables are exactly what their generator writes from unicodedata2 16.0.0.
    @Test(.requiresFixtureVenv) func unicodeTablesAreTheGeneratorsOutput() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("UnicodeTables.swift")
        let result = try runPython([TestSupport.fixture("tokenizer/make_unicode_tables.py").path, output.path])
        #expect(result.status == 0, "\(result)")
        let committed = TestSupport.repositoryRoot.appendingPathComponent("Sources/BPETokenizer/UnicodeTables.swift")
        #expect(try Data(contentsOf: output) == Data(contentsOf: committed), "rerun Fixtures/tokenizer/make_unicode_tables.py")
    }
}

extension PreSplitterTests {
    /// 5,000 more random strings, from every plane, split by the regex at test time.
    @Test(.requiresFixtureVenv, arguments: [1, 2])
    func randomStringsFromEveryPlaneSplitAsTheRegex(seed: Int) throws {
        let result = try runPython([TestSupport.fixture("tokenizer/random_presplit.py").path, "2500", String(seed)])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 2500)
        for line in lines {
            let value = try JSONParser.parse(Array(line))
            let text = value["text"]?.stringValue ?? ""
            let expected = (value["pieces"]?.arrayValue ?? []).compactMap(\.stringValue)
            let pieces = Self.pieces(text)
            #expect(pieces.map { Array($0.unicodeScalars) } == expected.map { Array($0.unicodeScalars) },
                    "\(text.debugDescription): got \(pieces.map(\.debugDescription)), expected \(expected.map(\.debugDescription))")
        }
    }
}
