import Foundation
import Testing
import TestSupport

/// Inputs that once hung, aborted or misled a command (issue 14's "Seen" list), each kept here
/// as the bytes that failed before the fix.
@Suite struct HostileInputTests {
    /// A GGUF with no tensors whose only key is `general.alignment`, a UINT64.
    static func ggufWithAlignment(_ alignment: UInt64) -> Data {
        var bytes = Data("GGUF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        u32(3)
        u64(0)
        u64(1)
        let key = Data("general.alignment".utf8)
        u64(UInt64(key.count))
        bytes.append(key)
        u32(10)  // UINT64
        u64(alignment)
        return bytes
    }

    @Test(arguments: [UInt64(1) << 40, UInt64(1) << 28])
    func absurdAlignmentIsRefusedByQuantizeAndConvertWithoutWritingAnything(alignment: UInt64) throws {
        let folder = try TestSupport.temporaryFolder("hostile-alignment")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("aligned.gguf").path
        try Self.ggufWithAlignment(alignment).write(to: URL(fileURLWithPath: input))
        let output = folder.appendingPathComponent("out.gguf").path
        for command in [["quantize", input, output, "--type", "q8_0"], ["convert", input, output]] {
            let result = try runLlama3(command)
            #expect(result.status == 1, "\(command[0]): \(result)")
            #expect(result.stderrText == "llama3: \(input): expected general.alignment to be at most 1048576 (1 MiB), found \(alignment)\n")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    @Test func alignmentAtTheCeilingIsCopiedWithPaddingOfOneAlignment() throws {
        let folder = try TestSupport.temporaryFolder("hostile-alignment")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("aligned.gguf").path
        try Self.ggufWithAlignment(1 << 20).write(to: URL(fileURLWithPath: input))
        let output = folder.appendingPathComponent("out.gguf").path
        let result = try runLlama3(["convert", input, output])
        #expect(result.status == 0, "\(result)")
        let written = try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int
        #expect(written == 1 << 20, "the header, padded to one alignment")
        #expect(try runLlama3(["inspect", output]).status == 0)
    }
}
