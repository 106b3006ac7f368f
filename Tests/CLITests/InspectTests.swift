import Foundation
import ModelIO
import Testing
import TestSupport

/// `llama3 inspect` on the fixtures written by gguf-py and safetensors: the JSON report's
/// container part (format, metadata, tensors) and the exit status.
@Suite struct InspectTests {
    static func expected() throws -> JSONValue {
        let url = TestSupport.fixture("formats/expected.json")
        return try JSONParser.parse(Array(try Data(contentsOf: url)), file: url.path)
    }

    static func inspectJSON(_ path: String, _ extra: [String] = []) throws -> (ProcessResult, JSONValue) {
        let result = try runLlama3(["inspect", path, "--json"] + extra)
        return (result, try JSONParser.parse(Array(result.stdout), file: "stdout"))
    }

    @Test(arguments: ["all-types.gguf", "aligned-64.gguf", "all-dtypes.safetensors"])
    func jsonListsTensorsAsTheReferenceReadsThem(_ name: String) throws {
        let (result, report) = try Self.inspectJSON(TestSupport.fixture("formats/" + name).path)
        #expect(result.status == 0, "\(result)")
        let expected = try #require(try Self.expected()[name]?["tensors"]?.arrayValue)
        let tensors = try #require(report["tensors"]?.arrayValue)
        #expect(tensors.count == expected.count)
        for (tensor, want) in zip(tensors, expected) {
            for field in ["name", "dtype", "shape", "offset", "bytes"] {
                #expect(tensor[field] == want[field], "\(field) of \(want["name"]!.serialized())")
            }
        }
        #expect(report["problems"] == .array([]))
    }

    @Test func jsonPrintsSixtyFourBitIntegersExactly() throws {
        let (_, report) = try Self.inspectJSON(TestSupport.fixture("formats/all-types.gguf").path)
        let metadata = try #require(report["metadata"])
        #expect(metadata["test.uint64"] == .uint(UInt64.max))
        #expect(metadata["test.int64"] == .int(Int64.min))
        #expect(metadata["test.array.uint64"] == [.uint(1 << 63 + 1), .uint(UInt64.max)])
        #expect(metadata["test.float32"] == .double(1e-05))
        #expect(report["format"]?["name"] == "gguf" && report["format"]?["version"] == 3)
    }

    @Test func arraysLongerThanSixteenAreSummarisedUnlessFull() throws {
        let path = TestSupport.fixture("formats/all-types.gguf").path
        let (_, summary) = try Self.inspectJSON(path)
        let tokens = try #require(summary["metadata"]?["test.array.string"])
        #expect(tokens["type"] == "STRING" && tokens["count"] == 21)
        #expect(tokens["head"]?.arrayValue?.count == 16)
        let (_, full) = try Self.inspectJSON(path, ["--full"])
        #expect(full["metadata"]?["test.array.string"]?.arrayValue?.count == 21)
    }

    @Test func shardedFolderNamesEachTensorsFile() throws {
        let (result, report) = try Self.inspectJSON(TestSupport.fixture("formats/sharded").path)
        #expect(result.status == 0, "\(result)")
        #expect(report["format"]?["name"] == "safetensors-sharded")
        let files = try #require(report["tensors"]?.arrayValue).compactMap { $0["file"]?.stringValue }
        #expect(files.count == 3 && files.allSatisfy { $0.hasSuffix(".safetensors") })
    }

    @Test func invalidFileExitsOneWithTheErrorOnStderrAndInTheJSON() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = try Data(contentsOf: TestSupport.fixture("formats/all-types.gguf"))
        let cut = folder.appendingPathComponent("cut.gguf")
        try bytes.prefix(100).write(to: cut)
        let (result, report) = try Self.inspectJSON(cut.path)
        #expect(result.status == 1)
        #expect(result.stderrText.hasPrefix("llama3: \(cut.path): at byte "), "\(result)")
        #expect(result.stderrText.split(separator: "\n").count == 1)
        #expect(report["problems"]?.arrayValue?.count == 1)
        let text = try runLlama3(["inspect", cut.path])
        #expect(text.status == 1 && text.stdoutText == "problem: \(text.stderrText.dropFirst("llama3: ".count))", "\(text)")
    }

    @Test func textListsTensorsOnRequest() throws {
        let path = TestSupport.fixture("formats/all-types.gguf").path
        let plain = try runLlama3(["inspect", path])
        #expect(plain.status == 0 && plain.stdoutText.contains("GGUF v3, 13 tensors") && !plain.stdoutText.contains("q4_k.block"))
        let listed = try runLlama3(["inspect", path, "--tensors"])
        #expect(listed.stdoutText.contains("q4_k.block") && listed.stdoutText.contains("Q4_K"), "\(listed)")
    }
}
