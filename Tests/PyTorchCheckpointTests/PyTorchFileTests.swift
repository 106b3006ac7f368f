import Foundation
import ModelIO
import PyTorchCheckpoint
import Testing
import TestSupport

/// The torch.save reader on archives torch itself wrote (Fixtures/pytorch/make_meta_checkpoints.py),
/// on one rewritten with every ZIP64 field, and on a pickle that asks to run a command.
@Suite(.requiresFixtureVenv) struct PyTorchFileTests {
    static func fixtures() throws -> URL {
        try TestSupport.generatedFolder(
            script: "pytorch/make_meta_checkpoints.py", arguments: [TestSupport.officialVocabulary.path])
    }

    static func floats(_ slice: ByteSlice) -> [Float] {
        let bytes = slice.bytes
        return stride(from: 0, to: bytes.count, by: 4).map { index in
            Float(bitPattern: UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24)
        }
    }

    /// views.pth: torch.arange(24) saved whole and as two views of the same storage.
    @Test func viewsOfOneStorageAreSlicesOfIt() throws {
        let file = try PyTorchFile(path: try Self.fixtures().appendingPathComponent("views.pth").path)
        #expect(file.tensors.map(\.name) == ["whole", "rows", "tail"])
        let byName = Dictionary(uniqueKeysWithValues: file.tensors.map { ($0.name, $0) })
        let whole = try #require(byName["whole"]), rows = try #require(byName["rows"]), tail = try #require(byName["tail"])
        #expect(whole.shape == [24] && rows.shape == [3, 4] && tail.shape == [4])
        #expect(whole.dtype == .f32)
        #expect(Self.floats(whole.data) == (0..<24).map(Float.init))
        #expect(Self.floats(rows.data) == (6..<18).map(Float.init))
        #expect(Self.floats(tail.data) == (20..<24).map(Float.init))
        // One storage, mapped once: the views point into the whole tensor's bytes.
        #expect(rows.data.offset == whole.data.offset + 6 * 4 && tail.data.offset == whole.data.offset + 20 * 4)
    }

    @Test func aNonContiguousViewIsRefusedByName() throws {
        let path = try Self.fixtures().appendingPathComponent("transposed.pth").path
        let error = try #require(throws: FileError.self) { try PyTorchFile(path: path) }
        #expect(error.file == path && error.description.contains("tensor transposed: a non-contiguous view"), "\(error)")
        #expect(error.description.contains("strides [1, 6]"), "\(error)")
    }

    @Test func aPickleAskingForOsSystemIsRefusedWithoutRunningIt() throws {
        let marker = "/tmp/llama3-tests-hostile-pickle-ran"
        try? FileManager.default.removeItem(atPath: marker)
        let path = try Self.fixtures().appendingPathComponent("hostile.pth").path
        let error = try #require(throws: FileError.self) { try PyTorchFile(path: path) }
        #expect(error.file == path && error.offset != nil, "\(error)")
        #expect(error.description.contains("the global os.system") && error.description.contains("refused without running it"), "\(error)")
        #expect(!error.description.contains("\n"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// zip64.pth is meta-1's rank file rewritten with every size and offset in ZIP64 fields (the
    /// script checked that torch.load reads it with equal tensors).
    @Test func zip64FieldsGiveTheSameTensors() throws {
        let folder = try Self.fixtures()
        let original = try PyTorchFile(path: folder.appendingPathComponent("meta-1/consolidated.00.pth").path)
        let rewritten = try PyTorchFile(path: folder.appendingPathComponent("zip64.pth").path)
        #expect(rewritten.tensors.map(\.name) == original.tensors.map(\.name))
        for (one, other) in zip(original.tensors, rewritten.tensors) {
            #expect(one.shape == other.shape && one.dtype == other.dtype, "\(one.name)")
            #expect(one.data.bytes == other.data.bytes, "\(one.name)")
            #expect(other.data.offset % 64 == 0, "\(one.name) at \(other.data.offset)")
        }
    }

    @Test func aTruncatedArchiveNamesTheMissingEndRecord() throws {
        let bytes = try Data(contentsOf: try Self.fixtures().appendingPathComponent("views.pth"))
        let source = ByteSource(bytes: Array(bytes.prefix(bytes.count - 30)), name: "cut.pth")
        let error = try #require(throws: FileError.self) { try PyTorchFile(source: source) }
        #expect(error.file == "cut.pth" && error.description.contains("end of central directory record"), "\(error)")
    }
}
