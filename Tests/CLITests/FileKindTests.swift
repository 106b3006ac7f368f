import Foundation
import ModelIO
import Testing
import TestSupport

/// A file or folder the tool does not handle is named for what it is, and a checkpoint of another
/// architecture is not turned into a GGUF llama.cpp cannot load.
@Suite struct FileKindTests {
    // torch.save's zip format and Meta's folder are read now (MetaCheckpointTests); the legacy
    // pickle format is still named and refused.
    @Test(.requiresFixtureVenv, arguments: [
        ("legacy.bin", "a PyTorch checkpoint in the legacy pickle format"),
    ])
    func pyTorchFilesAreNamed(name: String, expected: String) throws {
        let folder = try TestSupport.generatedFolder(script: "pytorch/make_checkpoints.py", arguments: [])
        let path = folder.appendingPathComponent(name).path
        for command in [["inspect", path], ["checksum", path], ["convert", path, path + "-out.gguf"]] {
            let result = try runLlama3(command)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrText.contains(expected) && result.stderrText.split(separator: "\n").count == 1, "\(result)")
        }
    }

    @Test(.requiresFixtureVenv) func aPyTorchCheckpointIsReadAsAContainer() throws {
        let folder = try TestSupport.generatedFolder(script: "pytorch/make_checkpoints.py", arguments: [])
        let result = try runLlama3(["inspect", folder.appendingPathComponent("model.pth").path, "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try JSONParser.parse(Array(result.stdout), file: "stdout")
        #expect(report["format"]?["name"] == "pytorch")
        #expect(report["tensors"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["tok_embeddings.weight", "norm.weight"])
        // Where a model is not what is asked for, it is named for what it is.
        let vocabulary = try runLlama3(["tokenize", "--vocab", folder.appendingPathComponent("model.pth").path, "hello"])
        #expect(vocabulary.status == 1 && vocabulary.stderrText.contains("this is a PyTorch checkpoint"), "\(vocabulary)")
    }

    static func checkpoint(config: String) throws -> URL {
        let folder = try TestSupport.temporaryFolder()
        for name in try FileManager.default.contentsOfDirectory(atPath: TestSupport.fixture("formats/sharded").path) {
            try FileManager.default.copyItem(
                at: TestSupport.fixture("formats/sharded/" + name), to: folder.appendingPathComponent(name))
        }
        try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
        return folder
    }

    @Test(arguments: [
        (#"{"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2"}"#, "Qwen2ForCausalLM"),
        (#"{"architectures": ["MistralForCausalLM"]}"#, "MistralForCausalLM"),
        (#"{"model_type": "gpt2"}"#, #"model_type "gpt2""#),
    ])
    func anotherArchitectureIsRefusedUnlessKeepNames(config: String, named: String) throws {
        let folder = try Self.checkpoint(config: config)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.gguf").path
        let refused = try runLlama3(["convert", folder.path, output])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderrText.contains("config.json") && refused.stderrText.contains(named), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let copied = try runLlama3(["convert", folder.path, output, "--keep-names", "--quiet"])
        #expect(copied.status == 0, "\(copied)")
    }

    @Test func quantizeNamesANonGGUFSource() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLlama3([
            "quantize", TestSupport.fixture("formats/all-dtypes.safetensors").path,
            folder.appendingPathComponent("q.gguf").path, "--type", "q8_0",
        ])
        // Told by the name before anything is read: a usage error (Docs/CLI.md, quantize).
        #expect(result.status == 2)
        #expect(result.stderrText.contains("quantize reads a GGUF") && result.stderrText.contains("llama3 convert"), "\(result)")
    }
}
