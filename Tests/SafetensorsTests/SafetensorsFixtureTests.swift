import Foundation
import ModelIO
import Safetensors
import Testing
import TestSupport

/// Files written by the safetensors package (torch for BF16, the F8 types, unsigned and complex)
/// read here as safe_open reads them (Fixtures/formats/make-fixtures.py).
@Suite struct SafetensorsFixtureTests {
    static func expected() throws -> JSONValue {
        let url = TestSupport.fixture("formats/expected.json")
        return try JSONParser.parse(Array(try Data(contentsOf: url)), file: url.path)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(hex16(UInt64($0)).suffix(2)) }.joined()
    }

    static func expectSame(_ file: SafetensorsFile, _ expected: JSONValue) throws {
        let tensors = try #require(expected["tensors"]?.arrayValue)
        #expect(file.tensors.map(\.name) == tensors.compactMap { $0["name"]?.stringValue })
        for (tensor, want) in zip(file.tensors, tensors) {
            #expect(tensor.dtype.name == want["dtype"]?.stringValue, "dtype of \(tensor.name)")
            #expect(tensor.shape.map { Int64($0) } == want["shape"]?.arrayValue?.compactMap(\.int64Value), "shape of \(tensor.name)")
            #expect(Int64(tensor.fileOffset) == want["offset"]?.int64Value, "offset of \(tensor.name)")
            #expect(Int64(tensor.byteCount) == want["bytes"]?.int64Value, "bytes of \(tensor.name)")
            #expect(hex(tensor.data.bytes) == want["data_hex"]?.stringValue, "data of \(tensor.name)")
        }
        let metadata = try #require(expected["metadata"]?.arrayValue)
        let read = file.metadata.sorted { $0.key < $1.key }
        #expect(read.map(\.key) == metadata.compactMap { $0["key"]?.stringValue })
        #expect(read.map(\.value) == metadata.compactMap { $0["value"]?.stringValue })
    }

    @Test(arguments: ["all-dtypes.safetensors", "sub-byte.safetensors"])
    func everyDTypeReadsAsSafeOpenReadsIt(_ name: String) throws {
        let file = try SafetensorsFile(path: TestSupport.fixture("formats/" + name).path)
        try Self.expectSame(file, try #require(try Self.expected()[name]))
    }

    @Test func fixturesCoverEveryDType() throws {
        let files = try ["all-dtypes.safetensors", "sub-byte.safetensors"].map {
            try SafetensorsFile(path: TestSupport.fixture("formats/" + $0).path)
        }
        let covered = Set(files.flatMap { $0.tensors.map(\.dtype) })
        #expect(covered == Set(SafetensorsDType.allCases), "missing: \(Set(SafetensorsDType.allCases).subtracting(covered))")
    }

    @Test func shardedCheckpointFollowsItsIndex() throws {
        let folder = TestSupport.fixture("formats/sharded").path
        let checkpoint = try SafetensorsCheckpoint(folder: folder)
        let expected = try #require(try Self.expected()["sharded"])
        #expect(checkpoint.indexPath != nil)
        #expect(checkpoint.indexMetadata.first { $0.key == "total_size" }?.value == expected["total_size"])
        let map = try #require(expected["weight_map"]?.objectValue)
        #expect(Set(checkpoint.tensors.map(\.tensor.name)) == Set(map.map(\.key)))
        for (shard, tensor) in checkpoint.tensors {
            let want = map.first { $0.key == tensor.name }?.value.stringValue
            #expect(checkpoint.shards[shard].source.name.hasSuffix("/" + (want ?? "?")), "shard of \(tensor.name)")
        }
        for shard in checkpoint.shards {
            let name = String(shard.source.name.split(separator: "/").last!)
            try Self.expectSame(shard, try #require(expected["shards"]?[name]))
        }
    }

    @Test func folderWithOneFileIsACheckpoint() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            at: TestSupport.fixture("formats/all-dtypes.safetensors"), to: folder.appendingPathComponent("model.safetensors"))
        let checkpoint = try SafetensorsCheckpoint(folder: folder.path)
        #expect(checkpoint.indexPath == nil && checkpoint.tensors.count == checkpoint.shards[0].tensors.count)
    }

    @Test func dtypeSizesMatchTheFormat() {
        #expect(SafetensorsDType.f4.byteCount(elements: 4) == 2)
        #expect(SafetensorsDType.f4.byteCount(elements: 3) == nil)
        #expect(SafetensorsDType.f6_E2M3.byteCount(elements: 4) == 3)
        #expect(SafetensorsDType.c64.byteCount(elements: 2) == 16)
        #expect(SafetensorsDType.bf16.byteCount(elements: Int.max) == nil)
    }
}
