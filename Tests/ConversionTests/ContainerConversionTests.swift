import Conversion
import Foundation
import GGUF
import LlamaLayout
import ModelFiles
import ModelIO
import Safetensors
import Testing
import TestSupport

/// `convert` without `--type`: tensors keep names, dtypes and bits across formats, checked by
/// the reference readers (gguf-py, safe_open) against the fixture script's values.
@Suite struct ContainerConversionTests {
    static let checkScript = TestSupport.fixture("formats/check-written.py").path

    static func expected() throws -> JSONValue {
        let url = TestSupport.fixture("formats/expected.json")
        return try JSONParser.parse(Array(try Data(contentsOf: url)), file: url.path)
    }

    /// Runs check-written.py on `path` against `spec` (an expected.json-shaped entry).
    static func check(_ path: String, against spec: JSONValue, in folder: URL) throws {
        let specPath = folder.appendingPathComponent("spec-\(UUID().uuidString).json")
        try Data(JSONValue.object([JSONMember("case", spec)]).serialized().utf8).write(to: specPath)
        let result = try runPython([checkScript, path, specPath.path, "case"])
        #expect(result.status == 0, "reference reader disagrees with \(path):\n\(result)")
    }

    /// The sharded fixture's tensors, shard by shard, as the safetensors package read them.
    static func shardedTensors() throws -> [JSONValue] {
        let shards = try #require(try expected()["sharded"]?["shards"]?.objectValue)
        return shards.sorted { $0.key < $1.key }.flatMap { $0.value["tensors"]?.arrayValue ?? [] }
    }

    @Test(.requiresFixtureVenv) func shardedSafetensorsToGGUFAndBackKeepsEveryBit() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try ModelFile(path: TestSupport.fixture("formats/sharded").path)
        let gguf = folder.appendingPathComponent("model.gguf").path
        let summary = try ContainerConversion.convert(source, to: .gguf(gguf))
        #expect(summary.skippedMetadata == ["total_size"])
        let tensors = try Self.shardedTensors()
        let ggufSpec = JSONValue.object([
            JSONMember("metadata", [.object([JSONMember("key", "format"), JSONMember("type", "STRING"), JSONMember("value", "pt")])]),
            JSONMember("tensors", .array(tensors)),
        ])
        try Self.check(gguf, against: ggufSpec, in: folder)

        let back = folder.appendingPathComponent("back.safetensors").path
        try ContainerConversion.convert(try ModelFile(path: gguf), to: .safetensors(back))
        let safetensorsSpec = JSONValue.object([
            JSONMember("metadata", [.object([JSONMember("key", "format"), JSONMember("value", "pt")])]),
            JSONMember("tensors", .array(tensors)),
        ])
        try Self.check(back, against: safetensorsSpec, in: folder)
    }

    @Test(.requiresFixtureVenv) func ggufToSafetensorsCarriesScalarsAsTextAndLeavesArraysOut() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try ModelFile(path: TestSupport.fixture("formats/plain-types.gguf").path)
        let output = folder.appendingPathComponent("plain.safetensors").path
        let summary = try ContainerConversion.convert(source, to: .safetensors(output))
        #expect(summary.skippedMetadata.allSatisfy { $0.hasPrefix("test.array.") } && summary.skippedMetadata.count == 14)
        let written = try SafetensorsFile(path: output)
        let metadata = Dictionary(uniqueKeysWithValues: written.metadata.map { ($0.key, $0.value) })
        #expect(metadata["test.uint64"] == "18446744073709551615")
        #expect(metadata["test.int64"] == "-9223372036854775808")
        #expect(metadata["test.float32"] == "1e-05")
        #expect(metadata["test.bool"] == "true")
        #expect(metadata["general.architecture"] == "fixture")
        let tensors = try #require(try Self.expected()["plain-types.gguf"]?["tensors"]?.arrayValue)
        let plainMetadata = written.metadata.filter { !$0.key.hasPrefix("checksum.") }.map {
            JSONValue.object([JSONMember("key", .string($0.key)), JSONMember("value", .string($0.value))])
        }
        try Self.check(output, against: .object([JSONMember("metadata", .array(plainMetadata)), JSONMember("tensors", .array(tensors))]), in: folder)
    }

    @Test(.requiresFixtureVenv) func ggufToGGUFKeepsTypedMetadataAndQuantizedBlocks() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("copy.gguf").path
        try ContainerConversion.convert(try ModelFile(path: TestSupport.fixture("formats/all-types.gguf").path), to: .gguf(output))
        let spec = try #require(try Self.expected()["all-types.gguf"])
        try Self.check(output, against: spec, in: folder)
    }

    @Test func quantizedTensorToSafetensorsIsRefusedByNameAndWritesNothing() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("x.safetensors").path
        let source = try ModelFile(path: TestSupport.fixture("formats/all-types.gguf").path)
        #expect { try ContainerConversion.convert(source, to: .safetensors(output)) } throws: { error in
            "\(error)".contains("q8_0.blocks is Q8_0, which safetensors cannot hold")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func safetensorsOnlyDTypeToGGUFIsRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try ModelFile(path: TestSupport.fixture("formats/all-dtypes.safetensors").path)
        #expect { try ContainerConversion.convert(source, to: .gguf(folder.appendingPathComponent("x.gguf").path)) } throws: { error in
            "\(error)".contains("which GGUF cannot hold")
        }
    }

    @Test func outputOverAnInputIsRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("same.gguf").path
        try FileManager.default.copyItem(atPath: TestSupport.fixture("formats/plain-types.gguf").path, toPath: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: FileError.self) { try ContainerConversion.convert(try ModelFile(path: path), to: .gguf(path)) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func destinationFormatComesFromTheName() {
        #expect(ConversionDestination(path: "a/b.gguf") == .gguf("a/b.gguf"))
        #expect(ConversionDestination(path: "m.safetensors") == .safetensors("m.safetensors"))
        #expect(ConversionDestination(path: "out/llama") == .checkpoint(folder: "out/llama"))
    }
}
