import Foundation
import ModelIO
import Testing
import TestSupport

/// `llama3 convert` on a Hugging Face Llama folder: Llama-aware by default, `--keep-names` for a
/// plain container copy. The tiny checkpoint is written by transformers at test time.
@Suite(.requiresFixtureVenv) struct ConvertLlamaTests {
    static let checkpoint: Result<URL, ConvertLlamaError> = {
        do {
            return .success(try TestSupport.generatedFolder(script: "llama-convert/make_tiny_llama.py", arguments: ["tied-small"]))
        } catch {
            return .failure(ConvertLlamaError(message: "\(error)"))
        }
    }()

    static func check(_ mode: String, _ converted: String) throws {
        let result = try runPython([
            TestSupport.fixture("llama-convert/check_converted.py").path, mode, try checkpoint.get().path, converted,
        ])
        #expect(result.status == 0, "check_converted.py \(mode) disagrees with \(converted):\n\(result)")
    }

    @Test func aHuggingFaceLlamaFolderBecomesALlamaCppGGUFAndComesBack() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gguf = folder.appendingPathComponent("tiny.gguf").path
        let result = try runLlama3(["convert", try Self.checkpoint.get().path, gguf, "--json"])
        #expect(result.status == 0, "\(result)")
        #expect(try JSONParser.parse(Array(result.stdout), file: "stdout")["tensors"] == 20)
        try Self.check("gguf", gguf)

        let back = folder.appendingPathComponent("back").path
        let reverse = try runLlama3(["convert", gguf, back, "--quiet"])
        #expect(reverse.status == 0 && reverse.stderrText.isEmpty, "\(reverse)")
        try Self.check("back", back)
    }

    @Test func aShardedCheckpointFollowsItsIndex() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Self.checkpoint.get()
        let gguf = folder.appendingPathComponent("tiny.gguf").path
        #expect(try runLlama3(["convert", original.path, gguf, "--quiet"]).status == 0)
        let sharded = folder.appendingPathComponent("sharded")
        let split = try runLlama3(["convert", gguf, sharded.path, "--shard-size", "100000", "--quiet"])
        #expect(split.status == 0, "\(split)")
        let files = try FileManager.default.contentsOfDirectory(atPath: sharded.path)
        #expect(files.contains("model.safetensors.index.json") && files.filter { $0.hasSuffix(".safetensors") }.count > 2, "\(files)")
        for side in ["tokenizer.json", "tokenizer_config.json", "generation_config.json"] {
            // The folder has these files, written from the GGUF; the original's are put in their place.
            try FileManager.default.removeItem(at: sharded.appendingPathComponent(side))
            try FileManager.default.copyItem(at: original.appendingPathComponent(side), to: sharded.appendingPathComponent(side))
        }
        let again = folder.appendingPathComponent("again.gguf").path
        let result = try runLlama3(["convert", sharded.path, again, "--quiet"])
        #expect(result.status == 0, "\(result)")
        try Self.check("gguf", again)
    }

    @Test func keepNamesCopiesTheContainerWithHuggingFaceNames() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gguf = folder.appendingPathComponent("plain.gguf").path
        let result = try runLlama3(["convert", try Self.checkpoint.get().path, gguf, "--keep-names", "--json"])
        #expect(result.status == 0, "\(result)")
        let inspect = try JSONParser.parse(Array(try runLlama3(["inspect", gguf, "--json"]).stdout), file: "stdout")
        let names = inspect["tensors"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.contains("model.layers.0.self_attn.q_proj.weight") && !names.contains { $0.hasPrefix("blk.") }, "\(names)")
        #expect(inspect["metadata"]?["general.architecture"] == nil)
    }

    @Test func aForeignTensorStopsTheConversionWithOneLineNamingIt() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Self.checkpoint.get()
        try FileManager.default.copyItem(
            at: original.appendingPathComponent("config.json"), to: folder.appendingPathComponent("config.json"))
        let addExtra = """
            import sys, torch
            from safetensors.torch import load_file, save_file
            tensors = load_file(sys.argv[1])
            tensors["model.vision_tower.weight"] = torch.zeros(4)
            save_file(tensors, sys.argv[2], metadata={"format": "pt"})
            """
        let made = try runPython([
            "-c", addExtra, original.appendingPathComponent("model.safetensors").path,
            folder.appendingPathComponent("model.safetensors").path,
        ])
        #expect(made.status == 0, "\(made)")
        let output = folder.appendingPathComponent("out.gguf").path
        let result = try runLlama3(["convert", folder.path, output])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.split(separator: "\n").count == 1
            && result.stderrText.contains("model.vision_tower.weight: stray tensor")
            && result.stderrText.contains("--keep-names"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

struct ConvertLlamaError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
