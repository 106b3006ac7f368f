import Foundation
import ModelIO
import Safetensors
import Testing
import TestSupport

/// The streaming writer: files it writes are read by the safetensors package (safe_open) with
/// the values that went in and correct checksums (Fixtures/formats/check-written.py).
@Suite struct SafetensorsWriterTests {
    static func rewrite(_ source: SafetensorsFile, to destination: String) throws {
        var header = SafetensorsHeader(for: destination, metadata: source.metadata)
        for tensor in source.tensors { try header.addTensor(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape) }
        let writer = try SafetensorsWriter.begin(destination: destination, header: header)
        for tensor in source.tensors { try writer.writeTensor(tensor.data) }
        try writer.finish()
    }

    static var fixture: SafetensorsFile {
        get throws { try SafetensorsFile(path: TestSupport.fixture("formats/all-dtypes.safetensors").path) }
    }

    @Test(.requiresFixtureVenv, arguments: ["all-dtypes.safetensors", "sub-byte.safetensors"])
    func rewrittenFixtureReadsInSafeOpenAsTheOriginalWasWritten(_ name: String) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("copy.safetensors").path
        try Self.rewrite(try SafetensorsFile(path: TestSupport.fixture("formats/" + name).path), to: output)
        let result = try runPython([
            TestSupport.fixture("formats/check-written.py").path, output,
            TestSupport.fixture("formats/expected.json").path, name,
        ])
        #expect(result.status == 0, "safetensors disagrees with \(output):\n\(result)")
    }

    @Test func writtenFileReadsBackWithPaddedHeaderAndChecksums() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Self.fixture
        let output = folder.appendingPathComponent("copy.safetensors").path
        try Self.rewrite(original, to: output)
        let copy = try SafetensorsFile(path: output)
        #expect(copy.dataOffset % 8 == 0)
        #expect(copy.tensors.map(\.name) == original.tensors.map(\.name))
        for (a, b) in zip(copy.tensors, original.tensors) {
            #expect(a.dtype == b.dtype && a.shape == b.shape && a.data.bytes == b.data.bytes, "\(a.name)")
            let recorded = copy.metadata.first { $0.key == "checksum.xxh3_64." + a.name }?.value
            #expect(recorded == hex16(XXH3.hash64(a.data)), "checksum of \(a.name)")
        }
        #expect(copy.metadata.prefix(original.metadata.count).map(\.key) == original.metadata.map(\.key))
    }

    @Test func sameInputGivesByteIdenticalOutput() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.safetensors"), b = folder.appendingPathComponent("b.safetensors")
        try Self.rewrite(try Self.fixture, to: a.path)
        try Self.rewrite(try Self.fixture, to: b.path)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
    }

    @Test func shardedCheckpointSplitsBySizeAndReadsBack() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Self.fixture
        let output = folder.appendingPathComponent("checkpoint").path
        var header = SafetensorsHeader(for: output, metadata: [("format", "pt")])
        for tensor in original.tensors { try header.addTensor(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape) }
        let writer = try SafetensorsCheckpointWriter.begin(folder: output, header: header, maximumShardBytes: 24)
        for tensor in original.tensors { try writer.writeTensor(tensor.data) }
        try writer.finish()
        let checkpoint = try SafetensorsCheckpoint(folder: output)
        #expect(checkpoint.shards.count == writer.shardNames.count && checkpoint.shards.count > 2)
        #expect(checkpoint.tensors.map(\.tensor.name) == original.tensors.map(\.name))
        for shard in checkpoint.shards { #expect(shard.tensors.reduce(0) { $0 + $1.byteCount } <= 24 || shard.tensors.count == 1) }
        #expect(checkpoint.indexMetadata.first?.value == .integer(original.tensors.reduce(0) { $0 + $1.byteCount }))
        let index = try String(contentsOfFile: output + "/model.safetensors.index.json", encoding: .utf8)
        #expect(index.contains("\"model-00001-of-0000"))
    }

    @Test func oneShardIsWrittenAsModelSafetensors() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var header = SafetensorsHeader(for: folder.path)
        try header.addTensor(name: "w", dtype: .f32, shape: [2])
        let writer = try SafetensorsCheckpointWriter.begin(folder: folder.path, header: header, maximumShardBytes: 1 << 30)
        try writer.writeTensor([UInt8](repeating: 0, count: 8))
        try writer.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])
    }

    @Test func wrongByteCountOrMissingTensorLeavesNothing() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("x.safetensors").path
        var header = SafetensorsHeader(for: output)
        try header.addTensor(name: "a", dtype: .bf16, shape: [2])
        try header.addTensor(name: "b", dtype: .u8, shape: [1])
        let writer = try SafetensorsWriter.begin(destination: output, header: header)
        #expect(throws: FileError.self) { try writer.writeTensor([1, 2, 3]) }
        try writer.writeTensor([1, 2, 3, 4])
        #expect(throws: FileError.self) { try writer.finish() }
        writer.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func headerRefusesBadDeclarations() throws {
        var header = SafetensorsHeader(for: "bad.safetensors", metadata: [("checksum.xxh3_64.a", "stale"), ("keep", "me")])
        #expect(header.metadata.map(\.key) == ["keep"])
        try header.addTensor(name: "a", dtype: .f4, shape: [2])
        #expect(throws: FileError.self) { try header.addTensor(name: "a", dtype: .f32, shape: [1]) }
        #expect(throws: FileError.self) { try header.addTensor(name: "odd", dtype: .f4, shape: [3]) }
        #expect(throws: FileError.self) { try header.addTensor(name: "__metadata__", dtype: .f32, shape: [1]) }
    }
}
