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

    @Test(arguments: GoldenFiles.cases)
    func q4_0FastPathWritesThePortableBytes(caseName: String) throws {
        // On x86-64 `quantize` takes SSE2 code; `portable: true` the plain loops other CPUs run.
        var values = try GoldenFiles.floats("\(caseName).f32.bin")
        var generator = SplitMix64(seed: 40)
        for scale: Float in [1e-38, 1e-41, 1e-44, 3e37] {  // subnormal scales, and near the f32 limit
            values += (0..<(32 * 64)).map { _ in generator.nextFloat() * scale }
        }
        let blocks = values.count / 32
        var fast = [UInt8](repeating: 0, count: 18 * blocks), portable = fast
        values.withUnsafeBytes { source in
            fast.withUnsafeMutableBytes { fast in
                portable.withUnsafeMutableBytes { portable in
                    for block in 0..<blocks {
                        _ = Q4_0Block.quantize(source.baseAddress! + 128 * block, to: fast.baseAddress! + 18 * block)
                        _ = Q4_0Block.quantize(source.baseAddress! + 128 * block, to: portable.baseAddress! + 18 * block, portable: true)
                    }
                }
            }
        }
        #expect(firstDifferingBlock(fast, portable, blockBytes: 18) == nil)
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
