import Testing
import TestSupport
@testable import Quantization

/// The SIMD-lane k-quant kernels against the scalar transcription of ggml they replaced
/// (ScalarKQuantOracle), block by block, on random super-blocks built to reach the branches the
/// llama.cpp fixtures rarely reach: all-zero, constant and one-spike sub-blocks, sub-blocks whose
/// scale rounds to level 0, magnitudes from subnormal to near the f32 limit, ranges that overflow.
@Suite struct KQuantOracleTests {
    static let formats: [ElementFormat] = [.q2_K, .q4_K, .q5_K, .q6_K]
    static let blocksPerFormat = 1500

    @Test(arguments: formats)
    func lanesWriteTheOracleBytes(format: ElementFormat) throws {
        var generator = SplitMix64(seed: 0x6B71_7561_6E74 &+ UInt64(format.bytesPerBlock))
        for index in 0..<Self.blocksPerFormat {
            let block = Self.superBlock(&generator)
            let found = try Transcoder.encode(block, as: format)
            let expected = ScalarKQuantOracle.quantize(block, as: format)
            guard found == expected else {
                let values = block.map { "0x" + String($0.bitPattern, radix: 16) }.joined(separator: ",")
                Issue.record("block \(index): \(firstDifferingBlock(found, expected, blockBytes: format.bytesPerBlock) ?? "") input bits [\(values)]")
                return
            }
        }
    }

    /// 256 finite values: a scale for the whole block (so every magnitude is reached), then per
    /// sub-block of 16 one of several shapes.
    static func superBlock(_ generator: inout SplitMix64) -> [Float] {
        let magnitudes: [Float] = [1, 1, 1, 0.02, 1e-3, 1e3, 1e-20, 1e20, 1e-38, 1e-41, 8e37]
        let blockScale = magnitudes[Int(generator.next() % UInt64(magnitudes.count))]
        var values: [Float] = []
        for _ in 0..<16 {
            let shape = generator.next() % 10
            let subScale = shape == 9 ? blockScale * 1e-4 : blockScale  // a sub-block whose scale rounds to 0
            let constant = generator.nextFloat() * subScale
            for l in 0..<16 {
                let random = generator.nextFloat() * subScale
                switch shape {
                case 0: values.append(0)
                case 1: values.append(constant)
                case 2: values.append(l == 5 ? random * 4 : 0)  // one spike
                case 3: values.append(abs(random))  // all positive: the minimum clamps to 0
                case 4: values.append(-abs(random))
                case 5: values.append((random * 2).rounded() / 2)  // ties of the rounding
                default: values.append(random)
                }
            }
        }
        return values.map { $0.isFinite ? $0 : 0 }
    }
}
