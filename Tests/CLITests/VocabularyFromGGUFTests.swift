import BPETokenizer
import Foundation
import GGUF
import LlamaLayout
import ModelIO
import Testing
import TestSupport

/// `--vocab model.gguf`: the vocabulary embedded in a GGUF tokenizes exactly as the
/// tokenizer.model it came from, whether the GGUF was written by this project's bridge or by gguf-py.
@Suite struct VocabularyFromGGUFTests {
    static let text = """
        Hello, world! It's Llama 3's tokenizer: 1234567, Cửa Việt, 東京, Привет, 🦙 emoji.
          Indented code:\r\n\tdef f(x): return x ** 2   \n\n
        <|start_header_id|>user<|end_header_id|>\n\nDON'T SHOUT<|eot_id|>
        """

    /// Writes the official vocabulary into a tensor-less GGUF through the bridge.
    static func bridgeGGUF(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("bridge.gguf").path
        let vocabulary = try VocabularyFile.parse(try ByteSource(mapping: TestSupport.officialVocabulary.path))
        var metadata = GGUFMetadata()
        metadata.set("general.architecture", .string("llama"))
        GGUFVocabulary.keys(for: vocabulary, endOfSequence: "<|eot_id|>").write(into: &metadata)
        try GGUFWriter.begin(destination: path, header: GGUFHeader(for: path, metadata: metadata)).finish()
        return path
    }

    /// The same vocabulary written by gguf-py (Fixtures/vocabulary-bridge/make_gguf_vocabulary.py).
    static func ggufPyGGUF(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("gguf-py.gguf").path
        let result = try runPython([
            TestSupport.fixture("vocabulary-bridge/make_gguf_vocabulary.py").path, path, TestSupport.officialVocabulary.path,
        ])
        guard result.status == 0 else { throw FileError(file: path, "gguf-py failed: \(result)") }
        return path
    }

    /// Plain text, then with special-token text parsed (both vocabularies name <|eot_id|> and
    /// the header tokens alike).
    @Test(.requiresFixtureVenv, arguments: ["bridge", "gguf-py"])
    func ggufVocabularyGivesTheSameIdsAsTheTokenizerModel(_ writer: String) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gguf = writer == "bridge" ? try Self.bridgeGGUF(in: folder) : try Self.ggufPyGGUF(in: folder)
        let input = Data(Self.text.utf8)
        for flags in [[], ["--special"]] {
            let reference = try runLlama3(["tokenize", "--vocab", TestSupport.officialVocabulary.path] + flags, stdin: input)
            let fromGGUF = try runLlama3(["tokenize", "--vocab", gguf] + flags, stdin: input)
            #expect(reference.status == 0 && fromGGUF.status == 0, "\(fromGGUF)")
            #expect(fromGGUF.stdoutText == reference.stdoutText, "tokenize \(flags)")
            let ids = fromGGUF.stdoutText.split(whereSeparator: \.isWhitespace)
            #expect(ids.count > 40)
            #expect(ids.contains("128009") == (flags == ["--special"]), "<|eot_id|> parsed only under --special")
        }
    }

    @Test func ggufWithoutVocabularyIsAOneLineError() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bare.gguf").path
        try GGUFWriter.begin(destination: path, header: GGUFHeader(for: path)).finish()
        let result = try runLlama3(["count", "--vocab", path], stdin: Data("hello".utf8))
        #expect(result.status == 1)
        #expect(result.stderrText == "llama3: \(path): expected the key tokenizer.ggml.model: the file carries no vocabulary\n")
    }
}
