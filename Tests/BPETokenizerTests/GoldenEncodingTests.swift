import BPETokenizer
import ModelIO
import TestSupport
import Testing

/// Ids must equal tiktoken 0.14's with the official vocabulary on every golden case
/// (Fixtures/tokenizer/make_goldens.py), and decoding must give back exactly the text.
@Suite struct GoldenEncodingTests {
    static let tokenizer = Goldens.tokenizer

    @Test func goldenFileHasAtLeast500Cases() {
        #expect(Goldens.encoding.count >= 500)
    }

    @Test(arguments: Goldens.encoding)
    func idsEqualTiktoken(_ golden: Goldens.EncodingCase) {
        let ids = Self.tokenizer.encode(golden.text, options: .init(parseSpecial: golden.special))
        #expect(ids == golden.ids, "\(golden.name): first difference at \(firstDifference(ids, golden.ids))")
    }

    @Test(arguments: Goldens.encoding)
    func decodeGivesBackTheText(_ golden: Goldens.EncodingCase) throws {
        let bytes = try Self.tokenizer.decode(golden.ids)
        #expect(bytes == Array(golden.text.utf8), "\(golden.name)")
    }

    @Test(arguments: Goldens.encoding)
    func countEqualsNumberOfIds(_ golden: Goldens.EncodingCase) {
        let count = Self.tokenizer.count(UTF8Text(golden.text), options: .init(parseSpecial: golden.special))
        #expect(count == golden.ids.count, "\(golden.name)")
    }
}

func firstDifference(_ a: [Int], _ b: [Int]) -> String {
    let index = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    return "index \(index): got \(Array(a[index..<min(a.count, index + 5)])), expected \(Array(b[index..<min(b.count, index + 5)]))"
}

extension GoldenEncodingTests {
    /// 200 random documents (characters from the first three planes, whatever their Unicode
    /// version), ids from tiktoken made at test time.
    @Test(.requiresFixtureVenv) func randomDocumentsEqualTiktoken() throws {
        let result = try runPython([
            TestSupport.fixture("tokenizer/random_encoding.py").path, "200", "3", TestSupport.officialVocabulary.path,
        ])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 200)
        for line in lines {
            let value = try JSONParser.parse(Array(line))
            let text = value["text"]?.stringValue ?? ""
            let ids = Self.tokenizer.encode(text)
            let expected = Goldens.integers(value["ids"])
            #expect(ids == expected, "\(text.prefix(60).debugDescription): \(firstDifference(ids, expected))")
        }
    }
}
