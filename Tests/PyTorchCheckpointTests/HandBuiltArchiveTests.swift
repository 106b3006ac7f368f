import ModelIO
import Testing
import PyTorchCheckpoint

/// Archives built byte by byte here, each breaking one rule of the zip layout or the pickle subset,
/// so every refusal is pinned without the fixture venv. The opcodes are pickletools' (protocol 2).
@Suite struct HandBuiltArchiveTests {
    /// A stored zip with `entries`, the layout torch.save writes (no alignment padding needed).
    static func zip(_ entries: [(name: String, data: [UInt8])], method: UInt16 = 0) -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        func u16(_ value: UInt16, _ into: inout [UInt8]) { into += withUnsafeBytes(of: value.littleEndian, Array.init) }
        func u32(_ value: UInt32, _ into: inout [UInt8]) { into += withUnsafeBytes(of: value.littleEndian, Array.init) }
        for entry in entries {
            let offset = UInt32(out.count)
            let name = Array(entry.name.utf8)
            u32(0x0403_4b50, &out); u16(20, &out); u16(0, &out); u16(method, &out); u16(0, &out); u16(0, &out)
            u32(0, &out); u32(UInt32(entry.data.count), &out); u32(UInt32(entry.data.count), &out)
            u16(UInt16(name.count), &out); u16(0, &out)
            out += name + entry.data
            u32(0x0201_4b50, &directory); u16(20, &directory); u16(20, &directory); u16(0, &directory); u16(method, &directory)
            u16(0, &directory); u16(0, &directory); u32(0, &directory)
            u32(UInt32(entry.data.count), &directory); u32(UInt32(entry.data.count), &directory)
            u16(UInt16(name.count), &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory)
            u32(0, &directory); u32(offset, &directory)
            directory += name
        }
        let directoryOffset = UInt32(out.count)
        out += directory
        u32(0x0605_4b50, &out); u16(0, &out); u16(0, &out); u16(UInt16(entries.count), &out); u16(UInt16(entries.count), &out)
        u32(UInt32(directory.count), &out); u32(directoryOffset, &out); u16(0, &out)
        return out
    }

    static func string(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return [0x58] + withUnsafeBytes(of: UInt32(bytes.count).littleEndian, Array.init) + bytes
    }

    static func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }

    /// {"w": tensor of 2 F32 values in storage "0"}, as torch.save pickles it.
    static let tensorDict: [UInt8] = [0x80, 0x02, 0x7d, 0x28] + string("w") + global("torch._utils", "_rebuild_tensor_v2")
        + [0x28, 0x28] + string("storage") + global("torch", "FloatStorage") + string("0") + string("cpu") + [0x4b, 2, 0x74, 0x51]
        + [0x4b, 0, 0x4b, 2, 0x85, 0x4b, 1, 0x85, 0x89] + global("collections", "OrderedDict") + [0x29, 0x52, 0x74, 0x52]
        + [0x75, 0x2e]

    static let twoFloats: [UInt8] = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]

    static func open(_ pickle: [UInt8], storage: [UInt8] = twoFloats, method: UInt16 = 0) throws -> PyTorchFile {
        try PyTorchFile(source: ByteSource(
            bytes: zip([("archive/data.pkl", pickle), ("archive/data/0", storage)], method: method), name: "hand.pth"))
    }

    @Test func aStateDictAsTorchWritesItIsRead() throws {
        let file = try Self.open(Self.tensorDict)
        #expect(file.tensors.map(\.name) == ["w"])
        #expect(file.tensors.first?.shape == [2] && file.tensors.first?.dtype == .f32)
        #expect(file.tensors.first?.data.bytes == Self.twoFloats)
    }

    @Test(arguments: [
        (global("builtins", "eval"), "the global builtins.eval"),
        (global("torch", "load"), "the global torch.load"),
        ([0x62], "opcode 0x62 (BUILD)"),
        ([0x5d], "opcode 0x5d (EMPTY_LIST)"),
        ([0x68, 9], "a memo load of index 9"),
        ([0x52], "an opcode that needs 2 values"),
    ])
    func anythingOutsideTheSubsetIsRefusedWhereItIsRead(inserted: [UInt8], named: String) throws {
        // The bytes go right after PROTO: the refusal's offset is that of the archive's pickle + 2.
        let pickle = [0x80, 0x02] + inserted + Array(Self.tensorDict.dropFirst(2))
        let error = try #require(throws: FileError.self) { try Self.open(pickle) }
        #expect(error.file == "hand.pth" && error.description.contains(named), "\(error)")
        #expect(error.offset == UInt64(30 + "archive/data.pkl".utf8.count + 2), "\(error)")
    }

    @Test func aPickleWithoutStopIsAnError() throws {
        let error = try #require(throws: FileError.self) { try Self.open(Array(Self.tensorDict.dropLast())) }
        #expect(error.description.contains("STOP"), "\(error)")
    }

    @Test func aCompressedEntryIsRefusedByName() throws {
        let error = try #require(throws: FileError.self) { try Self.open(Self.tensorDict, method: 8) }
        #expect(error.description.contains("entry archive/data.pkl: expected a stored entry") && error.description.contains("method 8"), "\(error)")
    }

    @Test func aStorageShorterThanItsCountIsRefused() throws {
        let error = try #require(throws: FileError.self) { try Self.open(Self.tensorDict, storage: Array(Self.twoFloats.prefix(6))) }
        #expect(error.description.contains("tensor w: expected storage 0 to be 2 F32 values, found 6 bytes"), "\(error)")
    }

    @Test func saturatedFieldsWithoutZIP64RecordsAreAnError() throws {
        var bytes = Self.zip([("archive/data.pkl", Self.tensorDict), ("archive/data/0", Self.twoFloats)])
        // The end record's entry count says "see the ZIP64 record", which is not there.
        bytes[bytes.count - 12] = 0xff
        bytes[bytes.count - 11] = 0xff
        let error = try #require(throws: FileError.self) { try PyTorchFile(source: ByteSource(bytes: bytes, name: "z.pth")) }
        #expect(error.description.contains("ZIP64 end-of-central-directory locator"), "\(error)")
    }
}
