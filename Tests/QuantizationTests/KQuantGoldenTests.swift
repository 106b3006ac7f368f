import Testing
import TestSupport
@testable import Quantization

/// Q5_0, Q5_1 and the k-quants against Fixtures/quantization/make_kquant_fixtures.py: bytes equal
/// to ggml's reference quantizers (llama-cpp-python 0.3.36's libggml-base) on the inputs of
/// make-goldens.py, and values equal to gguf-py's dequantization of random blocks whose f16
/// scales are extremes (zeros, subnormals, +-65504).
@Suite struct KQuantGoldenTests {
    static let formats: [ElementFormat] = [.q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]

    @Test(arguments: GoldenFiles.cases, formats)
    func quantizedBytesEqualGGML(caseName: String, format: ElementFormat) throws {
        let input = try GoldenFiles.floats("\(caseName).f32.bin")
        let expected = try GoldenFiles.bytes("\(caseName).\(format).bin")
        let found = try Transcoder.encode(input, as: format)
        #expect(firstDifferingBlock(found, expected, blockBytes: format.bytesPerBlock) == nil)
    }

    @Test(arguments: formats)
    func dequantizedValuesEqualGGUFPy(format: ElementFormat) throws {
        let blocks = try GoldenFiles.bytes("blocks.\(format).bin")
        let expected = try GoldenFiles.floats("blocks.\(format).f32.bin")
        let found = try Transcoder.decode(blocks, from: format)
        #expect(firstDifferingFloat(found, expected) == nil)
    }

    @Test(arguments: formats)
    func oneBlockDecodesAsTheTranscoderDoes(format: ElementFormat) throws {
        // The row-block interface a reader of quantized tensors uses, on the second block.
        let blocks = try GoldenFiles.bytes("blocks.\(format).bin")
        let expected = try GoldenFiles.floats("blocks.\(format).f32.bin")
        let found = try format.dequantize(blocks: Array(blocks[format.bytesPerBlock..<(2 * format.bytesPerBlock)]))
        #expect(found == Array(expected[format.elementsPerBlock..<(2 * format.elementsPerBlock)]))
    }

    @Test(arguments: formats)
    func bytesDoNotDependOnThreadCount(format: ElementFormat) throws {
        var generator = SplitMix64(seed: 11)
        let values = (0..<(2 * Transcoder.elementsPerTask + 4096)).map { _ in generator.nextFloat() }
        #expect(try Transcoder.encode(values, as: format, threads: 1) == Transcoder.encode(values, as: format, threads: 2))
    }

    @Test(arguments: formats)
    func nonFiniteInputIsReportedAtItsIndex(format: ElementFormat) throws {
        var values = [Float](repeating: 0.5, count: 1024)
        values[700] = .infinity
        #expect(throws: QuantizationError.self) { try Transcoder.encode(values, as: format) }
        do {
            _ = try Transcoder.encode(values, as: format)
        } catch let error as QuantizationError {
            #expect("\(error)".contains("700"))
        }
    }
}
