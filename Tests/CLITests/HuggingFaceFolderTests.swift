import Foundation
import ModelIO
import Testing
import TestSupport

/// `llama3 convert MODEL.gguf FOLDER` writes the tokenizer files transformers needs: AutoTokenizer
/// loads the folder and gives tiktoken's ids (Fixtures/hf-folder/check_tokenizer_files.py).
@Suite(.requiresFixtureVenv) struct HuggingFaceFolderTests {
    static func checker(_ arguments: [String]) throws {
        let result = try runPython([TestSupport.fixture("hf-folder/check_tokenizer_files.py").path] + arguments)
        #expect(result.status == 0 && result.stdoutText.contains("OK"), "\(result)")
    }

    /// The full Llama 3 vocabulary: tokenizer.json as transformers' TikTokenConverter writes it for
    /// tokenizer.model, and AutoTokenizer's ids are tiktoken's.
    @Test func theOfficialVocabularyLoadsInAutoTokenizerWithTiktokensIDs() throws {
        let checkpoint = try TestSupport.generatedFolder(script: "llama-convert/make_tiny_llama.py", arguments: ["scaled-bf16"])
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gguf = folder.appendingPathComponent("model.gguf").path
        let vocabulary = TestSupport.officialVocabulary.path
        let toGGUF = try runLlama3(["convert", checkpoint.path, gguf, "--vocab", vocabulary, "--quiet"])
        #expect(toGGUF.status == 0, "\(toGGUF)")
        let hf = folder.appendingPathComponent("hf").path
        let toHF = try runLlama3(["convert", gguf, hf, "--quiet"])
        #expect(toHF.status == 0, "\(toHF)")
        let written = Set(try FileManager.default.contentsOfDirectory(atPath: hf))
        #expect(written.isSuperset(of: ["tokenizer.json", "tokenizer_config.json", "generation_config.json", "config.json"]))
        try Self.checker(["tiktoken", hf, vocabulary])
    }

    /// A GGUF with a chat template (from the tiny checkpoint's tokenizer_config.json): the folder's
    /// tokenizer_config.json carries it, generation_config.json the GGUF's bos and eos, and the
    /// small vocabulary gives tiktoken's golden ids.
    @Test func theChatTemplateAndSpecialIDsCrossBack() throws {
        let checkpoint = try TestSupport.generatedFolder(script: "llama-convert/make_tiny_llama.py", arguments: ["tied-small"])
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gguf = folder.appendingPathComponent("model.gguf").path
        #expect(try runLlama3(["convert", checkpoint.path, gguf, "--quiet"]).status == 0)
        let hf = folder.appendingPathComponent("hf").path
        let toHF = try runLlama3(["convert", gguf, hf, "--quiet"])
        #expect(toHF.status == 0, "\(toHF)")
        try Self.checker(["goldens", hf, TestSupport.fixture("tokenizer/small-tokenizer-goldens.jsonl").path, gguf])
    }
}
