import Foundation
import GGUF
import ModelIO
import Testing
import TestSupport

/// The special-token ids `convert` writes for a Hugging Face folder are those llama.cpp's own
/// converter writes for the same folder: Fixtures/llama-convert/special-tokens-llamacpp.json holds
/// what convert_hf_to_gguf.py (llama-cpp-python 0.3.36) wrote for each variant of
/// Fixtures/llama-convert/make_special_tokens.py, which also writes the folders at test time.
@Suite(.requiresFixtureVenv) struct SpecialTokenTests {
    static let expected: Result<JSONValue, FileError> = Result {
        try JSONParser.parse(Array(try Data(contentsOf: TestSupport.fixture("llama-convert/special-tokens-llamacpp.json"))), file: "special-tokens-llamacpp.json")
    }.mapError { $0 as? FileError ?? FileError(file: "special-tokens-llamacpp.json", "\($0)") }

    static let variants = ["llama3.1-instruct", "llama3-instruct", "llama3.1-base", "no-tokenizer-config"]

    @Test(arguments: variants)
    func idsAreTheOnesLlamaCppsConverterWrites(_ variant: String) throws {
        let want = try #require(try Self.expected.get()["variants"]?[variant]?.objectValue, "no expected keys for \(variant)")
        let source = try TestSupport.generatedFolder(
            script: "llama-convert/make_special_tokens.py", arguments: ["folder", variant, TestSupport.officialVocabulary.path])
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gguf = folder.appendingPathComponent("model.gguf").path
        let result = try runLlama3(["convert", source.path, gguf, "--quiet"])
        #expect(result.status == 0, "\(result)")
        let metadata = try GGUFFile(path: gguf).metadata
        let idKeys = want.filter { $0.key.hasSuffix("_token_id") }
        #expect(!idKeys.isEmpty)
        for member in idKeys {
            #expect(metadata[member.key]?.integer == member.value.int64Value.map(Int.init), "\(variant): \(member.key)")
        }
        let written = metadata.keys.filter { $0.hasPrefix("tokenizer.ggml.") && $0.hasSuffix("_token_id") }
        #expect(Set(written) == Set(idKeys.map(\.key)), "\(variant): the same special tokens are named, no more")
    }
}
