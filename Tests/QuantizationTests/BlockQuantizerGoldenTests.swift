import Testing
import TestSupport
@testable import Quantization

/// Byte-for-byte agreement with gguf-py's quantizers (ggml's reference) on the distributions of
/// Fixtures/quantization/make-goldens.py, and value-for-value agreement when dequantizing.
@Suite struct BlockQuantizerGoldenTests {
    static let formats: [ElementFormat] = [.q8_0, .q4_0, .q4_1]

    @Test(arguments: GoldenFiles.cases, formats)
    func quantizedBytesEqualGGUFPy(caseName: String, format: ElementFormat) throws {
        let input = try GoldenFiles.floats("\(caseName).f32.bin")
        let expected = try GoldenFiles.bytes("\(caseName).\(format).bin")
        let found = try Transcoder.encode(input, as: format)
        #expect(firstDifferingBlock(found, expected, blockBytes: format.bytesPerBlock) == nil)
    }

    @Test(arguments: GoldenFiles.cases, formats)
    func dequantizedValuesEqualGGUFPy(caseName: String, format: ElementFormat) throws {
        let blocks = try GoldenFiles.bytes("\(caseName).\(format).bin")
        let expected = try GoldenFiles.floats("\(caseName).\(format).f32.bin")
        let found = try Transcoder.decode(blocks, from: format)
        #expect(firstDifferingFloat(found, expected) == nil)
    }

    @Test(arguments: formats)
    func bytesDoNotDependOnThreadCount(format: ElementFormat) throws {
        // Several work items (64 Ki values each), with a ragged last one.
        var generator = SplitMix64(seed: 7)
        let values = (0..<(3 * Transcoder.elementsPerTask + 4096)).map { _ in generator.nextFloat() }
        let one = try Transcoder.encode(values, as: format, threads: 1)
        let three = try Transcoder.encode(values, as: format, threads: 3)
        #expect(one == three)
    }
}
