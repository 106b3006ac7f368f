import Foundation
import ModelIO
import Safetensors
import Testing
import TestSupport

/// Lying and malformed safetensors files and checkpoints: each is a FileError, never a crash.
@Suite struct SafetensorsHostileFileTests {
    static func file(header: String, data: Int, length: UInt64? = nil) -> ByteSource {
        let json = Array(header.utf8)
        var bytes = withUnsafeBytes(of: (length ?? UInt64(json.count)).littleEndian, Array.init)
        bytes += json
        bytes += [UInt8](repeating: 7, count: data)
        return ByteSource(bytes: bytes, name: "hostile.safetensors")
    }

    func expectError(_ source: ByteSource, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SafetensorsFile(source: source)
            Issue.record("expected an error containing \"\(text)\", but the file opened", sourceLocation: sourceLocation)
        } catch let error as FileError {
            #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
            #expect(error.file == "hostile.safetensors" && error.offset != nil, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
        }
    }

    static let one = #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#

    @Test func handBuiltValidFileOpens() throws {
        let file = try SafetensorsFile(source: Self.file(header: Self.one, data: 8))
        #expect(file.tensors.map(\.name) == ["t"])
    }

    @Test func truncationAtEveryByteOfARealFixtureIsAnError() throws {
        let bytes = Array(try Data(contentsOf: TestSupport.fixture("formats/all-dtypes.safetensors")))
        for length in 0..<bytes.count {
            do {
                _ = try SafetensorsFile(source: ByteSource(bytes: bytes[0..<length], name: "cut.safetensors"))
                Issue.record("a file cut at \(length) bytes opened")
            } catch let error as FileError {
                #expect(error.file == "cut.safetensors" && error.offset != nil, "cut at \(length): \(error)")
            }
        }
    }

    @Test func headerLengthOf2To63IsRefused() {
        expectError(Self.file(header: Self.one, data: 8, length: 1 << 63), containing: "at most 100000000")
    }

    @Test func headerLengthPastTheEndIsRefused() {
        expectError(Self.file(header: Self.one, data: 8, length: 5000), containing: "5000-byte header")
    }

    @Test func dataOutOfRangeIsRefused() {
        expectError(Self.file(header: Self.one, data: 4), containing: "truncated")
    }

    @Test func overlappingTensorsAreRefused() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectError(Self.file(header: header, data: 12), containing: "overlaps")
    }

    @Test func holesAreRefused() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        expectError(Self.file(header: header, data: 8), containing: "leaves a hole")
    }

    @Test func trailingBytesAreRefused() {
        expectError(Self.file(header: Self.one, data: 12), containing: "cover the 12-byte data section exactly")
    }

    @Test func byteCountThatDisagreesWithShapeIsRefused() {
        let header = #"{"t":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}"#
        expectError(Self.file(header: header, data: 8), containing: "to hold 4 bytes")
    }

    @Test func duplicateNamesAreRefused() {
        let header = #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"t":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        expectError(Self.file(header: header, data: 8), containing: "twice")
    }

    @Test func invalidUTF8NameIsRefused() {
        var json = Array(#"{"t"#.utf8) + [0xFF] + Array(#"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#.utf8)
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init)
        bytes += json
        bytes += [0, 0, 0, 0]
        json.removeAll()
        expectError(ByteSource(bytes: bytes, name: "hostile.safetensors"), containing: "UTF-8")
    }

    @Test func unknownDTypeIsRefused() {
        let header = #"{"t":{"dtype":"Q4","shape":[2],"data_offsets":[0,1]}}"#
        expectError(Self.file(header: header, data: 1), containing: "found \"Q4\"")
    }

    @Test func negativeOrHugeShapeIsRefused() {
        let header = #"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#
        expectError(Self.file(header: header, data: 4), containing: "non-negative dimensions")
        let huge = #"{"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#
        expectError(Self.file(header: huge, data: 4), containing: "product fits")
    }

    @Test func metadataMustBeStrings() {
        let header = #"{"__metadata__":{"n":1},"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        expectError(Self.file(header: header, data: 8), containing: "to be a string")
    }

    @Test func headerThatIsNotAnObjectIsRefused() {
        expectError(Self.file(header: "[1]     ", data: 0), containing: "start with '{'")
    }

    @Test func shardsThatDisagreeWithTheIndexAreReported() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = TestSupport.fixture("formats/sharded")
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture.path) {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let index = folder.appendingPathComponent(SafetensorsCheckpoint.indexFileName)
        let original = try String(contentsOf: index, encoding: .utf8)
        try original.replacingOccurrences(of: "\"lm_head.weight\": \"model-00002", with: "\"lm_head.weight\": \"model-00001")
            .write(to: index, atomically: true, encoding: .utf8)
        #expect(throws: FileError.self) { try SafetensorsCheckpoint(folder: folder.path) }
        do {
            _ = try SafetensorsCheckpoint(folder: folder.path)
        } catch let error as FileError {
            #expect(error.description.contains("shards and index disagree"), "\(error)")
        }
        try original.replacingOccurrences(of: "\"model.norm.weight\"", with: "\"../escape\"")
            .write(to: index, atomically: true, encoding: .utf8)
        #expect(throws: FileError.self) { try SafetensorsCheckpoint(folder: folder.path) }
    }
}
