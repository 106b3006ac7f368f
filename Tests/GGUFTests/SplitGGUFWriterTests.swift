import Foundation
import GGUF
import ModelIO
import Testing
import TestSupport

/// The split writer's publishing order and failure path, and the reader's view of what it wrote.
/// (gguf-py reading the parts: Tests/CLITests/SplitGGUFTests.swift.)
@Suite struct SplitGGUFWriterTests {
    static func header(_ destination: String, tensors: Int) throws -> GGUFHeader {
        var metadata = GGUFMetadata()
        metadata.insert("general.architecture", .string("toy"))
        var header = GGUFHeader(for: destination, metadata: metadata)
        for index in 0..<tensors { try header.addTensor(name: "t\(index)", type: .f32, shape: [4]) }
        return header
    }

    static func tensorBytes(_ index: Int) -> [UInt8] { Array(repeating: UInt8(index), count: 16) }

    @Test func partOneAppearsLastAndTheSplitReadsBackAsOneModel() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("m.gguf").path
        let writer = try SplitGGUFWriter.begin(
            destination: destination, header: try Self.header(destination, tensors: 5), limits: GGUFSplitLimits(maximumTensors: 2))
        #expect(writer.partPaths.map { ($0 as NSString).lastPathComponent }
            == ["m-00001-of-00003.gguf", "m-00002-of-00003.gguf", "m-00003-of-00003.gguf"])
        for index in 0..<5 { try writer.writeTensor(Self.tensorBytes(index)) }
        #expect(!FileManager.default.fileExists(atPath: writer.partPaths[0]))
        #expect(writer.partPaths.dropFirst().allSatisfy { FileManager.default.fileExists(atPath: $0) })
        try writer.finish()

        let split = try SplitGGUFFile(anyPart: writer.partPaths[2])
        #expect(split.tensors.map(\.name) == ["t0", "t1", "t2", "t3", "t4"])
        #expect(try split.tensors.map(\.data.bytes) == (0..<5).map(Self.tensorBytes))
        #expect(split.first.metadata["general.architecture"] == .string("toy"))
        #expect(split.parts[1].metadata["general.architecture"] == nil)
        #expect(split.parts.map { $0.metadata[SplitGGUFFile.numberKey] } == [.uint16(0), .uint16(1), .uint16(2)])
        #expect(split.parts.allSatisfy { $0.metadata[SplitGGUFFile.tensorCountKey] == .int32(5) })
    }

    @Test func aWriterDroppedBeforeFinishLeavesNoPart() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("m.gguf").path
        do {
            let writer = try SplitGGUFWriter.begin(
                destination: destination, header: try Self.header(destination, tensors: 5), limits: GGUFSplitLimits(maximumTensors: 2))
            for index in 0..<4 { try writer.writeTensor(Self.tensorBytes(index)) }
            #expect(throws: FileError.self) { try writer.finish() }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }

    @Test func aTensorOverTheSizeLimitGetsAPartOfItsOwn() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("m.gguf").path
        // 16 bytes a tensor, padded to 32: a 40-byte limit holds one tensor a part.
        let writer = try SplitGGUFWriter.begin(
            destination: destination, header: try Self.header(destination, tensors: 3), limits: GGUFSplitLimits(maximumBytes: 40))
        #expect(writer.partPaths.count == 3)
        let roomy = try SplitGGUFWriter.begin(
            destination: destination, header: try Self.header(destination, tensors: 3), limits: GGUFSplitLimits(maximumBytes: 64))
        #expect(roomy.partPaths.count == 2)
        writer.discard()
        roomy.discard()
    }
}
