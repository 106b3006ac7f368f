import Foundation
import GGUF
import ModelIO
import Testing
import TestSupport

/// Lying, truncated and malformed files: each gets a FileError that says where and what was
/// expected, never a crash, a hang or an allocation sized by the file.
@Suite struct GGUFHostileFileTests {
    func error(_ bytes: HandBuiltGGUF) -> FileError? {
        do {
            _ = try GGUFFile(source: bytes.source)
            return nil
        } catch let error as FileError {
            return error
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    func expectError(_ bytes: HandBuiltGGUF, containing text: String, at offset: UInt64? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = error(bytes) else {
            Issue.record("expected an error containing \"\(text)\", but the file opened", sourceLocation: sourceLocation)
            return
        }
        #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
        #expect(error.file == "hostile.gguf", sourceLocation: sourceLocation)
        if let offset { #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation) }
    }

    /// A valid one-tensor file to break: F32 [4] at offset 0.
    func valid(alignment: Int = 32) -> HandBuiltGGUF {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 1, keys: 1)
        b.stringKey("general.architecture", "llama")
        b.tensorInfo("t", dims: [4], offset: 0)
        b.pad(to: alignment)
        b.bytes += [UInt8](repeating: 1, count: 16)
        return b
    }

    @Test func handBuiltValidFileOpens() throws {
        let file = try GGUFFile(source: valid().source)
        #expect(file.tensors.map(\.name) == ["t"])
        #expect(file.tensors[0].byteCount == 16)
    }

    @Test func truncationAtEveryHeaderByteOfARealFixtureIsAnError() throws {
        let bytes = Array(try Data(contentsOf: TestSupport.fixture("formats/all-types.gguf")))
        let whole = try GGUFFile(source: ByteSource(bytes: bytes))
        for length in 0..<whole.dataOffset + 1 {
            let cut = ByteSource(bytes: bytes[0..<length], name: "cut.gguf")
            do {
                _ = try GGUFFile(source: cut)
                Issue.record("a file cut at \(length) bytes opened")
            } catch let error as FileError {
                #expect(error.file == "cut.gguf" && error.offset != nil, "cut at \(length): \(error)")
            }
        }
    }

    @Test func truncatedTensorDataIsAnError() throws {
        var b = valid()
        b.bytes.removeLast(1)
        expectError(b, containing: "truncated")
    }

    @Test func tensorCountOf2To63IsRefusedBeforeAllocating() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 1 << 63, keys: 0)
        expectError(b, containing: "tensor count is 9223372036854775808", at: 8)
    }

    @Test func keyCountOf2To63IsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1 << 63)
        expectError(b, containing: "metadata key-value count", at: 16)
    }

    @Test func arrayCountOf2To63IsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1)
        b.string("tokens")
        b.u32(9)
        b.u32(8)
        b.u64(1 << 63)
        expectError(b, containing: "element count of tokens")
    }

    @Test func stringLengthPastTheEndIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1)
        b.string("k")
        b.u32(8)
        b.u64(1000)
        b.bytes += Array("short".utf8)
        expectError(b, containing: "length of k is 1000")
    }

    @Test func stringInsideAnArrayPastTheEndIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1)
        b.string("tokens")
        b.u32(9)
        b.u32(8)
        b.u64(2)
        b.string("ok")
        b.u64(UInt64.max)
        expectError(b, containing: "tokens[1]")
    }

    @Test func bigEndianFileIsRecognisedAndRefused() {
        var b = HandBuiltGGUF()
        b.bytes += Array("GGUF".utf8)
        b.bytes += [0, 0, 0, 3]
        b.bytes += [UInt8](repeating: 0, count: 16)
        expectError(b, containing: "big-endian GGUF (version 3 byte-swapped)", at: 4)
    }

    @Test func wrongMagicIsNamed() {
        var b = HandBuiltGGUF()
        b.bytes += Array("ggjt".utf8) + [UInt8](repeating: 0, count: 20)
        expectError(b, containing: "expected magic \"GGUF\", found \"ggjt\"", at: 0)
    }

    @Test func version1IsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(version: 1, tensors: 0, keys: 0)
        expectError(b, containing: "version 1", at: 4)
    }

    @Test func duplicateKeyIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 2)
        b.stringKey("a", "x")
        b.stringKey("a", "y")
        expectError(b, containing: "\"a\" a second time")
    }

    @Test func unknownValueTypeIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1)
        b.string("k")
        b.u32(13)
        b.u32(0)
        expectError(b, containing: "found 13", at: 33)
    }

    @Test func boolOtherThanZeroOrOneIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1)
        b.string("k")
        b.u32(7)
        b.u8(2)
        expectError(b, containing: "BOOL (0 or 1)")
    }

    @Test func deeplyNestedArraysAreRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1)
        b.string("deep")
        b.u32(9)
        for _ in 0..<100 {
            b.u32(9)
            b.u64(1)
        }
        expectError(b, containing: "nested at most")
    }

    @Test func duplicateTensorNamesAreRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 2, keys: 0)
        b.tensorInfo("t", dims: [4], offset: 0)
        b.tensorInfo("t", dims: [4], offset: 32)
        b.pad(to: 32)
        b.bytes += [UInt8](repeating: 0, count: 64)
        expectError(b, containing: "tensor name \"t\" a second time")
    }

    @Test func invalidUTF8TensorNameIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 1, keys: 0)
        b.tensorInfo([0x74, 0xFF, 0xFE], dims: [4], offset: 0)
        b.pad(to: 32)
        b.bytes += [UInt8](repeating: 0, count: 16)
        expectError(b, containing: "valid UTF-8", at: 32)
    }

    @Test func misalignedOffsetIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 1, keys: 0)
        b.tensorInfo("t", dims: [4], offset: 4)
        b.pad(to: 32)
        b.bytes += [UInt8](repeating: 0, count: 64)
        expectError(b, containing: "multiple of the alignment 32")
    }

    @Test func overlappingTensorsAreRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 2, keys: 0)
        b.tensorInfo("a", dims: [16], offset: 0)
        b.tensorInfo("b", dims: [16], offset: 32)
        b.pad(to: 32)
        b.bytes += [UInt8](repeating: 0, count: 128)
        expectError(b, containing: "they overlap")
    }

    @Test func offsetPastTheEndIsRefusedWithoutOverflow() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 1, keys: 0)
        b.tensorInfo("t", dims: [4], offset: UInt64(Int.max) - 31)
        b.pad(to: 32)
        expectError(b, containing: "inside the file")
    }

    @Test func elementCountOverflowIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 1, keys: 0)
        b.tensorInfo("t", dims: [1 << 40, 1 << 40], offset: 0)
        expectError(b, containing: "element count overflows")
    }

    @Test func moreThanFourDimensionsAreRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 1, keys: 0)
        b.tensorInfo("t", dims: [1, 1, 1, 1, 1], offset: 0)
        expectError(b, containing: "at most 4 dimensions")
    }

    @Test func unknownTensorTypeIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 1, keys: 0)
        b.tensorInfo("t", dims: [4], type: 99, offset: 0)
        expectError(b, containing: "type id 99")
    }

    @Test func partialBlockIsRefused() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 1, keys: 0)
        b.tensorInfo("t", dims: [16], type: 8, offset: 0)
        expectError(b, containing: "multiple of Q8_0's block size 32")
    }

    @Test(arguments: [0, 3, 48])
    func alignmentThatIsNotAPowerOfTwoIsRefused(_ alignment: UInt32) {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1)
        b.string("general.alignment")
        b.u32(4)
        b.u32(alignment)
        expectError(b, containing: "non-zero power of two")
    }

    @Test func alignmentStoredAsUInt64IsAccepted() throws {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1)
        b.string("general.alignment")
        b.u32(10)
        b.u64(64)
        #expect(try GGUFFile(source: b.source).alignment == 64)
    }
}

/// Version 2 has version 3's layout; it is read the same way.
@Suite struct GGUFVersionTests {
    @Test func version2FileIsRead() throws {
        var b = HandBuiltGGUF()
        b.preamble(version: 2, tensors: 1, keys: 1)
        b.stringKey("general.name", "v2")
        b.tensorInfo("t", dims: [2], type: 1, offset: 0)
        b.pad(to: 32)
        b.bytes += [1, 2, 3, 4]
        let file = try GGUFFile(source: b.source)
        #expect(file.version == 2 && file.metadata["general.name"] == .string("v2"))
        #expect(file.tensors.first?.type == .f16 && file.tensors.first?.data.bytes == [1, 2, 3, 4])
    }
}

/// Strings inside arrays are not decoded when a file opens, but they are checked: a file that
/// opens can always hand out its vocabulary.
@Suite struct GGUFLazyArrayTests {
    @Test func invalidUTF8DeepInsideAStringArrayIsFoundWhenOpening() {
        var b = HandBuiltGGUF()
        b.preamble(tensors: 0, keys: 1)
        b.string("tokenizer.ggml.tokens")
        b.u32(9)
        b.u32(8)
        b.u64(3)
        b.string("ok")
        b.string("fine \u{e9}")
        b.raw([0x61, 0xC3])
        do {
            _ = try GGUFFile(source: b.source)
            Issue.record("a vocabulary with invalid UTF-8 opened")
        } catch let error as FileError {
            #expect(error.description.contains("tokenizer.ggml.tokens[2] to be valid UTF-8"), "\(error)")
            #expect(error.offset == UInt64(b.bytes.count - 2))
        } catch {
            Issue.record("\(error)")
        }
    }
}
