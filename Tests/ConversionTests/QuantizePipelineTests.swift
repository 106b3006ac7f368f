import Foundation
import Testing
import TestSupport
import Conversion
import GGUF
import ModelFiles
import ModelIO
import Quantization
import LlamaLayout

/// `quantize` (convert with a block type) on GGUFs written by gguf-py, checked by gguf-py
/// (Fixtures/quantization/make-quantize-inputs.py and check-quantized.py).
@Suite(.requiresFixtureVenv) struct QuantizePipelineTests {
    static let types: [ElementFormat] = [.q8_0, .q4_0, .q4_1]

    /// The script runs once per test process; each test gets its own copy of its files.
    static func makeInputs() throws -> URL {
        let inputs = try GeneratedInputs.once(script: "quantization/make-quantize-inputs.py")
        let result = inputs.result
        guard result.status == 0 else { throw ToolError("Fixtures/quantization/make-quantize-inputs.py failed: \(result)") }
        return try inputs.freshCopy("quantize")
    }

    @Test(arguments: types)
    func outputLoadsInGGUFPyWithIdenticalBlocksAndValues(type: ElementFormat) throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.gguf").path
        let output = folder.appendingPathComponent("out.gguf").path
        let summary = try Converter.quantize(source: input, destination: output, options: ConversionOptions(type: WholeFileType(type), pure: true, threads: 2))
        #expect(summary.quantized == 6 && summary.convertedToF32 == 1 && summary.copied == 2)
        // Our own dequantization of every quantized tensor, for gguf-py to compare with its own.
        let dumps = folder.appendingPathComponent("dequantized")
        try FileManager.default.createDirectory(at: dumps, withIntermediateDirectories: true)
        for tensor in try GGUFFile(path: output).tensors where tensor.type == type.ggmlType {
            let values = try Transcoder.decode(tensor.data.bytes, from: type)
            try Data(values.withUnsafeBytes { Array($0) }).write(to: dumps.appendingPathComponent(tensor.name + ".f32"))
        }
        let check = try runPython([
            TestSupport.fixture("quantization/check-quantized.py").path, input, output, type.description, dumps.path,
        ])
        #expect(check.status == 0, "\(check)")
    }

    @Test func outputBytesDoNotDependOnThreadCount() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.gguf").path
        let one = folder.appendingPathComponent("one.gguf").path, three = folder.appendingPathComponent("three.gguf").path
        _ = try Converter.quantize(source: input, destination: one, options: ConversionOptions(type: .q4_1, threads: 1))
        _ = try Converter.quantize(source: input, destination: three, options: ConversionOptions(type: .q4_1, threads: 3))
        #expect(try Data(contentsOf: URL(fileURLWithPath: one)) == Data(contentsOf: URL(fileURLWithPath: three)))
    }

    @Test func outputRecordsChecksumsThatVerify() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.gguf").path
        _ = try Converter.quantize(source: folder.appendingPathComponent("input.gguf").path, destination: output, options: ConversionOptions(type: .q8_0, threads: 2))
        let verification = try ChecksumVerification.verify(try ModelFile(path: output), threads: 2)
        #expect(verification.passed && verification.matched.count == 9, "\(verification.text)")
    }

    @Test(arguments: [
        ("ragged.gguf", "tensor blk.0.ffn_down.weight: row length 48 (shape [64, 48]) is not a multiple of 32, the Q4_0 block size"),
        ("nan.gguf", "tensor blk.0.attn_q.weight: element 1000 (row 3, column 232) is nan; expected finite values to quantize to Q4_0"),
        ("quantized.gguf", "tensor blk.0.attn_q.weight: is already Q8_0; requantizing to Q4_0 would compound the rounding, so it is refused (start from the F32/F16/BF16 file, or pass --allow-requantize)"),
    ])
    func refusedInputNamesTheTensorAndLeavesNoOutput(file: String, message: String) throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.gguf").path
        let error = #expect(throws: FileError.self) {
            try Converter.quantize(source: folder.appendingPathComponent(file).path, destination: output, options: ConversionOptions(type: .q4_0, pure: true, threads: 2))
        }
        #expect(error?.message == message)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func allowRequantizeGoesThroughF32() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("quantized.gguf").path
        let output = folder.appendingPathComponent("out.gguf").path
        _ = try Converter.quantize(
            source: input, destination: output, options: ConversionOptions(type: .q4_0, pure: true, allowRequantize: true, threads: 1))
        let source = try #require(try GGUFFile(path: input).tensor(named: "blk.0.attn_q.weight"))
        let written = try #require(try GGUFFile(path: output).tensor(named: "blk.0.attn_q.weight"))
        // The kernels themselves are checked against ggml; here, that requantizing is decode then encode.
        let values = try Transcoder.decode(source.data.bytes, from: .q8_0)
        #expect(source.type == .q8_0 && written.type == .q4_0)
        #expect(written.data.bytes == (try Transcoder.encode(values, as: .q4_0)))
    }

    @Test func integerTensorsAreCopied() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("integers.gguf").path
        let output = folder.appendingPathComponent("out.gguf").path
        let summary = try Converter.quantize(source: input, destination: output, options: ConversionOptions(type: .q8_0, threads: 1))
        #expect(summary.quantized == 1 && summary.copied == 1)
        let source = try #require(try GGUFFile(path: input).tensor(named: "blk.0.positions"))
        let copied = try #require(try GGUFFile(path: output).tensor(named: "blk.0.positions"))
        #expect(copied.type == .i32 && copied.shape == [4, 64] && copied.data.bytes == source.data.bytes)
    }

    @Test func nanErrorPointsAtTheElementsBytes() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("nan.gguf").path
        let tensor = try #require(try GGUFFile(path: input).tensor(named: "blk.0.attn_q.weight"))
        let error = #expect(throws: FileError.self) {
            try Converter.quantize(source: input, destination: input + ".out", options: ConversionOptions(type: .q8_0, threads: 1))
        }
        #expect(error?.offset == UInt64(tensor.fileOffset + 1000 * 4))
    }
}
