import Conversion
import Foundation
import GGUF
import ModelIO
import Testing
import TestSupport

/// 1-D tensors under `quantize`: they become F32, and one that is already quantized or of a type
/// the kernels do not read is refused by name, as a 2-D one is (issue 14: they were copied
/// without a word while the docs said refused).
@Suite struct OneDimensionalTensorTests {
    /// A 1-D Q8_0 block: scale 1.0 (f16 0x3C00), then the values 0...31.
    static let q8Block: [UInt8] = [0x00, 0x3C] + (0..<32).map { UInt8($0) }

    static func write(_ path: String, oneDimensional: (name: String, type: GGMLType, shape: [Int], bytes: [UInt8])) throws {
        var header = GGUFHeader(for: path)
        try header.addTensor(name: "token_embd.weight", type: .f32, shape: [2, 32])
        try header.addTensor(name: oneDimensional.name, type: oneDimensional.type, shape: oneDimensional.shape)
        let writer = try GGUFWriter.begin(destination: path, header: header)
        try writer.writeTensor { try $0.write([UInt8](repeating: 0, count: 2 * 32 * 4)) }
        try writer.writeTensor { try $0.write(oneDimensional.bytes) }
        try writer.finish()
    }

    @Test(arguments: [[32], [1, 32]])
    func quantizedOneDimensionalTensorIsRefusedNamingIt(shape: [Int]) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.gguf").path, output = folder.appendingPathComponent("out.gguf").path
        try Self.write(input, oneDimensional: ("blk.0.attn_norm.weight", .q8_0, shape, Self.q8Block))
        let error = #expect(throws: FileError.self) {
            try Converter.quantize(source: input, destination: output, options: ConversionOptions(type: .q4_0, threads: 1))
        }
        #expect(error?.message == "tensor blk.0.attn_norm.weight: is already Q8_0; a 1-D tensor is written as F32, which would dequantize it, so it is refused (start from the F32/F16/BF16 file, or pass --allow-requantize)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func allowRequantizeDequantizesAOneDimensionalTensorToF32() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.gguf").path, output = folder.appendingPathComponent("out.gguf").path
        try Self.write(input, oneDimensional: ("blk.0.attn_norm.weight", .q8_0, [32], Self.q8Block))
        _ = try Converter.quantize(
            source: input, destination: output, options: ConversionOptions(type: .q4_0, allowRequantize: true, threads: 1))
        let written = try #require(try GGUFFile(path: output).tensor(named: "blk.0.attn_norm.weight"))
        #expect(written.type == .f32)
        let expected = (0..<32).flatMap { withUnsafeBytes(of: Float($0).bitPattern.littleEndian, Array.init) }
        #expect(written.data.bytes == expected, "ggml's Q8_0 value is scale times q")
    }

    @Test func oneDimensionalTensorOfATypeTheKernelsDoNotReadIsRefusedByName() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.gguf").path, output = folder.appendingPathComponent("out.gguf").path
        try Self.write(input, oneDimensional: ("f64.vector", .f64, [2], [UInt8](repeating: 0, count: 16)))
        let error = #expect(throws: FileError.self) {
            try Converter.quantize(source: input, destination: output, options: ConversionOptions(type: .q8_0, threads: 1))
        }
        #expect(error?.message == "tensor f64.vector: cannot convert F64 data to F32; expected F32, F16 or BF16")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
