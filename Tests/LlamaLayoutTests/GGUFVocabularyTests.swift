import BPETokenizer
import Foundation
import GGUF
import LlamaLayout
import ModelIO
import Testing
import TestSupport

/// The official Llama 3 vocabulary written into a GGUF by the bridge and read back: by gguf-py
/// (checked against transformers' conversion and HF tokenizers) and by the bridge itself.
@Suite struct GGUFVocabularyTests {
    static func officialVocabulary() throws -> Vocabulary {
        try VocabularyFile.parse(try ByteSource(mapping: TestSupport.officialVocabulary.path))
    }

    /// Writes `vocabulary` as an instruct model's GGUF vocabulary (eos <|eot_id|>), with no tensors.
    static func writeGGUF(_ vocabulary: Vocabulary, to path: String) throws {
        var metadata = GGUFMetadata()
        metadata.set("general.architecture", .string("llama"))
        GGUFVocabulary.keys(for: vocabulary, endOfSequence: "<|eot_id|>").write(into: &metadata)
        let writer = try GGUFWriter.begin(destination: path, header: GGUFHeader(for: path, metadata: metadata))
        try writer.finish()
    }

    @Test(.requiresFixtureVenv) func writtenVocabularyIsWhatGGUFPyTransformersAndTokenizersExpect() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vocabulary.gguf").path
        try Self.writeGGUF(try Self.officialVocabulary(), to: path)
        let result = try runPython([
            TestSupport.fixture("vocabulary-bridge/check_gguf_vocabulary.py").path, path,
            TestSupport.officialVocabulary.path, "128000", "128009",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText == "ok: 128256 tokens, 280147 merges, 6 samples tokenized alike\n", "\(result)")
    }

    @Test func writtenVocabularyReadsBackIdentically() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("vocabulary.gguf").path
        let original = try Self.officialVocabulary()
        try Self.writeGGUF(original, to: path)
        #expect(GGUFVocabulary.isGGUF(path: path))
        let read = try GGUFVocabulary.read(path: path)
        #expect(read.rankCount == 128_000 && read.idCount == 128_256)
        #expect((0..<read.rankCount).allSatisfy { read.pieceBytes(rank: $0) == original.pieceBytes(rank: $0) })
        #expect(read.specialTokens == original.specialTokens)
        #expect(read.specialTokenNaming == GGUFVocabulary.specialTokenNaming)
        let text = "Hello, Cửa Việt! <|eot_id|> 12345"
        #expect(Tokenizer(vocabulary: read).encode(text) == Tokenizer(vocabulary: original).encode(text))
    }

    @Test func ggufWithoutVocabularyIsAnErrorNamingTheKey() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bare.gguf").path
        try GGUFWriter.begin(destination: path, header: GGUFHeader(for: path)).finish()
        #expect(throws: FileError(file: path, "expected the key tokenizer.ggml.model: the file carries no vocabulary")) {
            try GGUFVocabulary.read(path: path)
        }
    }
}
