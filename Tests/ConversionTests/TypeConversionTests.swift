import Foundation
import Testing
import TestSupport
import Conversion
import LlamaLayout
import ModelFiles
import ModelIO
import Quantization

/// `convert --type`: the same per-tensor rule and kernels as `llama3 quantize`, into either format.
@Suite struct TypeConversionTests {
    @Test(.requiresFixtureVenv, arguments: [ElementFormat.q8_0, .q4_0, .q4_1])
    func convertingToAQuantizedGGUFWritesWhatQuantizeWrites(type: ElementFormat) throws {
        let folder = try QuantizePipelineTests.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.gguf").path
        let quantized = folder.appendingPathComponent("quantized-here.gguf").path
        let converted = folder.appendingPathComponent("converted.gguf").path
        _ = try Converter.quantize(source: input, destination: quantized, options: ConversionOptions(type: WholeFileType(type), threads: 2))
        let file = try ModelFile(path: input)
        try ContainerConversion.convert(
            file, to: .gguf(converted), options: ConversionOptions(type: WholeFileType(type), threads: 2))
        #expect(try Data(contentsOf: URL(fileURLWithPath: converted)) == Data(contentsOf: URL(fileURLWithPath: quantized)))
    }

    @Test(.requiresFixtureVenv, arguments: [ElementFormat.f32, .f16, .bf16])
    func convertingToSafetensorsMatchesTorch(type: ElementFormat) throws {
        let folder = try QuantizePipelineTests.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.gguf").path
        let output = folder.appendingPathComponent("out.safetensors").path
        let file = try ModelFile(path: input)
        try ContainerConversion.convert(
            file, to: .safetensors(output), options: ConversionOptions(type: WholeFileType(type), threads: 2))
        let check = try runPython([TestSupport.fixture("quantization/check-converted.py").path, input, output, type.description])
        #expect(check.status == 0, "\(check)")
        #expect(try ChecksumVerification.verify(try ModelFile(path: output), threads: 1).passed)
    }

    @Test(.requiresFixtureVenv) func safetensorsCannotHoldBlockTypes() throws {
        let folder = try QuantizePipelineTests.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try ModelFile(path: folder.appendingPathComponent("input.gguf").path)
        let output = folder.appendingPathComponent("out.safetensors").path
        let error = #expect(throws: FileError.self) {
            try ContainerConversion.convert(
                file, to: .safetensors(output), options: ConversionOptions(type: .q4_0, threads: 1))
        }
        #expect(error?.message == "tensor token_embd.weight: safetensors has no Q4_0 dtype; write a .gguf to quantize, or pass --type f32, f16 or bf16")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test(.requiresFixtureVenv) func withoutATypeEveryTensorIsCopied() throws {
        let folder = try QuantizePipelineTests.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try ModelFile(path: folder.appendingPathComponent("input.gguf").path)
        #expect(try TypePlan(nil).conversions(of: file).allSatisfy { $0 == .copy })
    }

    @Test(arguments: [([4096], 1), ([1, 4096], 1), ([4096, 1], 2), ([1, 1, 64], 1), ([2, 32, 64], 3), ([], 1)])
    func significantDimensionsIgnoreOuterOnes(shape: [Int], dimensions: Int) {
        #expect(TypePlan.significantDimensions(shape) == dimensions)
    }
}
