import Foundation
import GGUF
import LlamaLayout
import ModelIO
import Testing
import TestSupport

/// Mistakes caught before any work starts (usage errors, exit 2) and messages that say what to do
/// (Docs/CLI.md: "convert", "quantize", "Vocabulary", "decode").
@Suite struct MistakesTests {
    static let plainGGUF = TestSupport.fixture("formats/plain-types.gguf").path

    @Test(arguments: [
        ("model.ggfu", ".ggfu looks like a misspelt .gguf"),
        ("model.guff", ".guff looks like a misspelt .gguf"),
        ("model.GGUF", ".GGUF looks like a misspelt .gguf"),
        ("x.safetensor", ".safetensor looks like a misspelt .safetensors"),
        ("x.txt", ".txt is not a model format"),
        ("x.json", ".json is not a model format"),
        ("x.bin", ".bin is not a model format"),
        ("x.pt", ".pt is not a model format"),
        ("x.pth", ".pth is not a model format"),
        ("x.npy", ".npy is not a model format"),
    ])
    func destinationThatIsNoAcceptedFormIsAUsageError(_ name: String, _ reason: String) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent(name).path
        for command in [["convert", Self.plainGGUF, destination], ["quantize", Self.plainGGUF, destination, "--type", "q8_0"]] {
            let result = try runLlama3(command)
            #expect(result.status == 2, "\(command): \(result)")
            #expect(result.stderrText.contains("DST \(destination): \(reason); DST must be NAME.gguf, NAME.safetensors, or a checkpoint folder"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: destination))
        }
    }

    @Test func anyOtherNewNameIsStillACheckpointFolder() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("Llama-3.2-1B-hf").path
        let result = try runLlama3(["convert", Self.plainGGUF, destination, "--quiet"])
        #expect(result.status == 0, "\(result)")
        #expect(FileManager.default.fileExists(atPath: destination + "/model.safetensors"))
    }

    @Test func shardSizeForAFileIsRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["out.gguf", "out.safetensors"] {
            let destination = folder.appendingPathComponent(name).path
            let result = try runLlama3(["convert", Self.plainGGUF, destination, "--shard-size", "64"])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderrText.contains("--shard-size applies only when DST is a checkpoint folder, not to \(destination)"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: destination))
        }
    }

    @Test func quantizeRefusesASafetensorsDestination() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("out.safetensors").path
        let result = try runLlama3(["quantize", Self.plainGGUF, destination, "--type", "q8_0"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrText.contains("quantize writes GGUF only: DST must be NAME.gguf, not \(destination)"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: destination))
    }

    @Test(arguments: ["formats/all-dtypes.safetensors", "formats/sharded"])
    func quantizeOfSafetensorsPointsToConvert(_ source: String) throws {
        let result = try runLlama3(["quantize", TestSupport.fixture(source).path, "/tmp/never-written.gguf", "--type", "Q4_0"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrText.contains("use `llama3 convert SRC DST.gguf --type q4_0`"), "\(result)")
    }

    @Test func unknownIdSaysTheRangeInWords() throws {
        let result = try runLlama3(["decode", "200000"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText == "llama3: id 200000 (number 1 of the input) is not in the vocabulary (ids 0 to 128255)\n", "\(result)")
    }

    @Test func missingDefaultVocabularyNamesThePathAndHowToGetIt() throws {
        let home = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try runLlama3(["count"], stdin: Data("hi".utf8), environment: ["HOME": home.path])
        #expect(result.status == 1, "\(result)")
        let path = home.path + "/.local/share/llama3/tokenizer.model"
        #expect(result.stderrText.hasPrefix("llama3: \(path): no vocabulary installed here; put the official Llama 3 tokenizer.model at this path"), "\(result)")
        #expect(result.stderrText.contains("`pip download --no-deps llama-models==0.3.0`"), "\(result)")
    }

    /// GPT-2's own layout: <|endoftext|> sits among the normal tokens, which rank = id BPE cannot use.
    @Test func gpt2StyleVocabularyIsNamedAsSuch() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("gpt2.gguf").path
        var metadata = GGUFMetadata()
        GGUFVocabularyKeys(tokens: ["a", "b", "<|endoftext|>", "ab"], tokenTypes: [1, 1, 3, 1], merges: ["a b"])
            .write(into: &metadata)
        let writer = try GGUFWriter.begin(destination: path, header: GGUFHeader(for: path, metadata: metadata))
        try writer.finish()
        let result = try runLlama3(["tokenize", "--vocab", path], stdin: Data("ab".utf8))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.hasPrefix("llama3: \(path): not a tiktoken-style vocabulary (byte-level BPE pieces ranked by id, then special tokens, as Llama 3's), the only kind llama3 tokenizes with: tokenizer.ggml.tokens[3] is a normal token after special or unused ones"), "\(result)")
    }

    @Test func quantizedTensorIntoSafetensorsSuggestsAFloatType() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLlama3(["convert", TestSupport.fixture("formats/all-types.gguf").path, folder.appendingPathComponent("x.safetensors").path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.contains("which safetensors cannot hold with the same bits; pass --type f16 or --type bf16 to store it as floats"), "\(result)")
    }
}

/// `convert`'s summary says what it wrote (Docs/CLI.md, "convert"): the output's bytes, the file's
/// size, the mode, and a per-tensor list in `--json`.
@Suite struct ConversionSummaryTests {
    @Test func jsonAddsSourceBytesFileSizeAndTheTensorList() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = MistakesTests.plainGGUF, output = folder.appendingPathComponent("out.safetensors").path
        let result = try runLlama3(["convert", source, output, "--json"])
        #expect(result.status == 0, "\(result)")
        let summary = try JSONParser.parse(Array(result.stdout), file: "stdout")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int)
        #expect(summary["source"] == .string(source) && summary["destination"] == .string(output))
        #expect(summary["mode"] == "plain copy" && summary["file_bytes"] == .int(Int64(size)))
        // The count stays under `tensors`; the list is `tensor_list`, in the source's order.
        #expect(summary["tensors"] == 9)
        let list = try #require(summary["tensor_list"]?.arrayValue)
        #expect(list.compactMap { $0["name"]?.stringValue } == [
            "f32.matrix", "f16.matrix", "bf16.matrix", "i8.vector", "i16.vector", "i32.vector", "i64.vector", "f64.vector",
            "f32.four_dims",
        ])
        // f16.matrix: shape [2, 8] of 2-byte elements (Fixtures/formats/make-fixtures.py), kept as F16.
        #expect(list[1]["type_in"] == "F16" && list[1]["type_out"] == "F16" && list[1]["bytes_in"] == 32 && list[1]["bytes_out"] == 32)
        let bytesOut = list.compactMap { $0["bytes_out"]?.int64Value }.reduce(0, +)
        #expect(summary["bytes_out"] == .int(bytesOut) && summary["output_tensor_bytes"] == .int(bytesOut))
        #expect(summary["bytes_in"] == summary["input_tensor_bytes"])
    }

    @Test func textStatesTheModeOutputBytesAndFileSize() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.gguf").path
        let result = try runLlama3(["convert", MistakesTests.plainGGUF, output])
        #expect(result.status == 0, "\(result)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int)
        #expect(result.stderrText.hasPrefix("wrote \(output) (plain copy): 9 tensors, "), "\(result)")
        #expect(result.stderrText.hasSuffix(", file size \(size) bytes\n"), "\(result)")
    }
}
