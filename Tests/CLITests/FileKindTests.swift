import Foundation
import ModelIO
import Testing
import TestSupport

/// A file or folder the tool does not handle is named for what it is, and a checkpoint of another
/// architecture is not turned into a GGUF llama.cpp cannot load.
@Suite struct FileKindTests {
    @Test(.requiresFixtureVenv, arguments: [
        ("model.pth", "a PyTorch checkpoint (torch.save's zip archive"),
        ("legacy.bin", "a PyTorch checkpoint in the legacy pickle format"),
        ("meta", "Meta's original checkpoint (params.json and 1 consolidated.NN.pth file)"),
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
