import Foundation
import ModelIO
import Testing
import TestSupport

/// `llama3 convert SRC DST` through the binary: output, summary, and exit status on refusal.
@Suite struct ConvertTests {
    @Test func convertsAShardedFolderToGGUFAndInspectListsIt() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("model.gguf").path
        let result = try runLlama3(["convert", TestSupport.fixture("formats/sharded").path, output, "--json"])
        #expect(result.status == 0, "\(result)")
        let summary = try JSONParser.parse(Array(result.stdout), file: "stdout")
        #expect(summary["tensors"] == 3 && summary["skipped_metadata"] == ["total_size"])
        let inspect = try runLlama3(["inspect", output, "--json"])
        let report = try JSONParser.parse(Array(inspect.stdout), file: "stdout")
        #expect(report["tensors"]?.arrayValue?.compactMap { $0["dtype"]?.stringValue } == ["F32", "BF16", "F16"])
    }

    @Test func checkpointFolderOutputIsShardedBySize() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("hf").path
        let result = try runLlama3(["convert", TestSupport.fixture("formats/plain-types.gguf").path, output, "--shard-size", "64", "--quiet"])
        #expect(result.status == 0 && result.stderrText.isEmpty, "\(result)")
        let files = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(files.contains("model.safetensors.index.json") && files.count > 3, "\(files)")
        #expect(try runLlama3(["inspect", output]).status == 0)
    }

    @Test func refusalExitsOneWithOneLineAndNoOutput() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("x.safetensors").path
        let result = try runLlama3(["convert", TestSupport.fixture("formats/all-types.gguf").path, output])
        #expect(result.status == 1)
        #expect(result.stderrText.split(separator: "\n").count == 1 && result.stderrText.contains("Q8_0"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
