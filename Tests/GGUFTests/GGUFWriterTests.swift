import Foundation
import GGUF
import ModelIO
import Testing
import TestSupport

/// The streaming writer: files it writes are read back by gguf-py's GGUFReader with the values
/// that went in (Fixtures/formats/check-written.py), with correct checksums; misuse is an error.
@Suite struct GGUFWriterTests {
    static let checkScript = TestSupport.fixture("formats/check-written.py").path
    static let expectedJSON = TestSupport.fixture("formats/expected.json").path

    /// Writes every metadata key and tensor of `source` through the writer.
    static func rewrite(_ source: GGUFFile, to destination: String) throws {
        var header = GGUFHeader(for: destination, metadata: source.metadata)
        for tensor in source.tensors { try header.addTensor(name: tensor.name, type: tensor.type, shape: tensor.shape) }
        let writer = try GGUFWriter.begin(destination: destination, header: header)
        for tensor in source.tensors { try writer.writeTensor(tensor.data) }
        try writer.finish()
    }

    static func checkWithGGUFPy(_ path: String, expected: String, key: String) throws {
        let result = try runPython([checkScript, path, expected, key])
        #expect(result.status == 0, "gguf-py disagrees with \(path):\n\(result)")
    }

    @Test(.requiresFixtureVenv, arguments: ["all-types.gguf", "aligned-64.gguf"])
    func rewrittenFixtureReadsInGGUFPyAsTheOriginalWasWritten(_ name: String) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent(name).path
        try Self.rewrite(try GGUFFile(path: TestSupport.fixture("formats/" + name).path), to: output)
        try Self.checkWithGGUFPy(output, expected: Self.expectedJSON, key: name)
    }

    @Test func writtenFileReadsBackWithChecksumsOfEachTensor() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try GGUFFile(path: TestSupport.fixture("formats/aligned-64.gguf").path)
        let output = folder.appendingPathComponent("copy.gguf").path
        try Self.rewrite(original, to: output)
        let copy = try GGUFFile(path: output)
        var expectedMetadata = original.metadata
        expectedMetadata.insert(ChecksumKeys.gguf, .array(GGUFArray(uint64s: original.tensors.map { XXH3.hash64($0.data) })))
        #expect(copy.metadata == expectedMetadata)
        #expect(copy.alignment == 64 && copy.dataOffset % 64 == 0)
        for (a, b) in zip(copy.tensors, original.tensors) {
            #expect(a.name == b.name && a.type == b.type && a.dimensions == b.dimensions && a.data.bytes == b.data.bytes)
            #expect(a.relativeOffset % 64 == 0)
        }
        #expect(copy.source.count == copy.dataOffset + copy.tensors.map { ($0.byteCount + 63) / 64 * 64 }.reduce(0, +))
    }

    /// In-memory metadata of every type, written here and read by gguf-py.
    @Test(.requiresFixtureVenv) func inMemoryMetadataOfEveryTypeReadsInGGUFPy() throws {
        let cases: [(String, GGUFValue, JSONValue)] = [
            ("u8", .uint8(255), 255), ("i8", .int8(-128), -128), ("u16", .uint16(65535), 65535),
            ("i16", .int16(-32768), -32768), ("u32", .uint32(.max), .integer(UInt32.max)), ("i32", .int32(.min), .integer(Int32.min)),
            ("f32", .float32(0.25), 0.25), ("bool", .bool(false), false), ("str", .string("\u{1F999} ok"), "\u{1F999} ok"),
            ("u64", .uint64(.max), .uint(.max)), ("i64", .int64(.min), .int(.min)), ("f64", .float64(-1e300), -1e300),
        ]
        var metadata = GGUFMetadata()
        var expected: [JSONValue] = []
        for (key, value, json) in cases {
            metadata.insert(key, value)
            expected.append(.object([JSONMember("key", .string(key)), JSONMember("type", .string(value.type.name)), JSONMember("value", json)]))
        }
        metadata.insert("strings", .array(GGUFArray(strings: ["a", "bc", ""])))
        expected.append(.object([
            JSONMember("key", "strings"), JSONMember("type", "ARRAY"), JSONMember("element_type", "STRING"),
            JSONMember("value", ["a", "bc", ""]),
        ]))
        metadata.insert("nested", .array(try GGUFArray(.array, [.array(GGUFArray(int32s: [1, 2])), .array(GGUFArray(int32s: [3]))])))
        expected.append(.object([
            JSONMember("key", "nested"), JSONMember("type", "ARRAY"), JSONMember("element_type", "ARRAY"),
            JSONMember("inner_type", "INT32"), JSONMember("value", [[1, 2], [3]]),
        ]))
        var header = GGUFHeader(for: "memory.gguf", metadata: metadata)
        try header.addTensor(name: "w", type: .q8_0, shape: [2, 32])
        let data = (0..<68).map { UInt8($0) }
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("memory.gguf").path
        let writer = try GGUFWriter.begin(destination: output, header: header)
        try writer.writeTensor { sink in
            try sink.write(Array(data[0..<10]))
            try sink.write(Array(data[10...]))
        }
        try writer.finish()
        let tensor: JSONValue = .object([
            JSONMember("name", "w"), JSONMember("dtype", "Q8_0"), JSONMember("shape", [2, 32]),
            JSONMember("data_hex", .string(data.map { String(hex16(UInt64($0)).suffix(2)) }.joined())),
        ])
        let spec = JSONValue.object([JSONMember("case", .object([JSONMember("metadata", .array(expected)), JSONMember("tensors", [tensor])]))])
        let specPath = folder.appendingPathComponent("expected.json")
        try Data(spec.serialized().utf8).write(to: specPath)
        try Self.checkWithGGUFPy(output, expected: specPath.path, key: "case")
        let back = try GGUFFile(path: output)
        #expect(back.metadata["u64"] == .uint64(.max) && back.metadata["nested"] == metadata["nested"])
    }

    @Test func wrongByteCountIsRefusedAndNothingIsLeftBehind() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("bad.gguf").path
        var header = GGUFHeader(for: output)
        try header.addTensor(name: "a", type: .f32, shape: [4])
        try header.addTensor(name: "b", type: .f16, shape: [4])
        let writer = try GGUFWriter.begin(destination: output, header: header)
        #expect(writer.nextTensor?.name == "a")
        #expect(throws: FileError.self) { try writer.writeTensor([UInt8](repeating: 0, count: 15)) }
        try writer.writeTensor([UInt8](repeating: 0, count: 16))
        #expect(throws: FileError.self) { try writer.finish() }
        writer.discard()
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func moreTensorsThanDeclaredIsRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var header = GGUFHeader(for: folder.appendingPathComponent("x.gguf").path)
        try header.addTensor(name: "a", type: .i8, shape: [3])
        let writer = try GGUFWriter.begin(destination: folder.appendingPathComponent("x.gguf").path, header: header)
        try writer.writeTensor([1, 2, 3])
        #expect(throws: FileError.self) { try writer.writeTensor([1, 2, 3]) }
        try writer.finish()
        let back = try GGUFFile(path: folder.appendingPathComponent("x.gguf").path)
        #expect(back.tensors.first?.data.bytes == [1, 2, 3])
    }

    @Test func headerRefusesBadDeclarations() throws {
        var header = GGUFHeader(for: "a.gguf")
        try header.addTensor(name: "a", type: .f32, shape: [1])
        #expect(throws: FileError.self) { try header.addTensor(name: "a", type: .f32, shape: [1]) }
        #expect(throws: FileError.self) { try header.addTensor(name: "q", type: .q4_0, shape: [2, 16]) }
        #expect(throws: FileError.self) { try header.addTensor(name: "d", type: .f32, shape: [1, 1, 1, 1, 1]) }
        #expect(throws: FileError.self) { try header.addTensor(name: "n", type: .f32, shape: [-1]) }
        #expect(throws: FileError.self) { try header.addTensor(name: String(repeating: "x", count: 64), type: .f32, shape: [1]) }
        try header.addTensor(name: String(repeating: "x", count: 63), type: .f32, shape: [1])
        header.metadata.insert("general.alignment", .uint32(48))
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: FileError.self) { try GGUFWriter.begin(destination: folder.appendingPathComponent("a.gguf").path, header: header) }
    }

    @Test func givenChecksumKeyIsReplacedByTheRecordedOne() throws {
        var metadata = GGUFMetadata()
        metadata.insert(ChecksumKeys.gguf, .string("stale"))
        var header = GGUFHeader(for: "c.gguf", metadata: metadata)
        header.metadata.insert(ChecksumKeys.gguf, .uint8(1))
        #expect(header.metadata[ChecksumKeys.gguf] == nil)
        try header.addTensor(name: "a", type: .i8, shape: [2])
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.gguf").path
        let writer = try GGUFWriter.begin(destination: path, header: header)
        try writer.writeTensor([7, 8])
        try writer.finish()
        let back = try GGUFFile(path: path)
        #expect(try back.metadata[ChecksumKeys.gguf]?.array?.uint64s() == [XXH3.hash64([7, 8])])
    }
}
