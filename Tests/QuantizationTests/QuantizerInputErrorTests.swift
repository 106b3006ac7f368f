import Testing
import TestSupport
@testable import Quantization

/// What the quantizers refuse, and how they say it.
@Suite struct QuantizerInputErrorTests {
    static let formats: [ElementFormat] = [.q8_0, .q4_0, .q4_1]

    @Test(arguments: formats, [Float.nan, .infinity, -.infinity])
    func nonFiniteValueIsReportedAtItsFirstIndex(format: ElementFormat, bad: Float) throws {
        var values = [Float](repeating: 0.5, count: 3 * Transcoder.elementsPerTask)
        values[70_001] = bad  // in the second work item
        values[150_000] = .nan  // a later one, in the third
        for threads in [1, 2, 3] {
            let error = #expect(throws: QuantizationError.self) { try Transcoder.encode(values, as: format, threads: threads) }
            #expect(error == .nonFinite(index: 70_001, value: bad))
        }
    }

    @Test func nonFiniteMessageNamesTheElement() {
        #expect(QuantizationError.nonFinite(index: 12, value: .infinity).description
            == "element 12 is inf, which cannot be quantized (only finite values can)")
    }

    @Test func floatFormatsKeepNaNAndInfinity() throws {
        let values: [Float] = [.nan, .infinity, -.infinity, -0.0]
        for format in [ElementFormat.f16, .bf16] {
            let back = try Transcoder.decode(try Transcoder.encode(values, as: format), from: format)
            #expect(back[0].isNaN && back[1] == .infinity && back[2] == -.infinity)
            #expect(back[3].bitPattern == (-0.0 as Float).bitPattern)
        }
    }

    @Test(arguments: formats)
    func countThatIsNotWholeBlocksIsRefused(format: ElementFormat) {
        let error = #expect(throws: QuantizationError.self) { try Transcoder.encode([Float](repeating: 1, count: 48), as: format) }
        #expect(error == .rowNotMultipleOfBlock(format: format, length: 48))
    }

    @Test(arguments: formats)
    func truncatedBlockDataIsRefused(format: ElementFormat) {
        let bytes = [UInt8](repeating: 0, count: format.bytesPerBlock + 3)
        let error = #expect(throws: QuantizationError.self) { try Transcoder.decode(bytes, from: format) }
        #expect(error == .partialBlock(format: format, bytes: format.bytesPerBlock + 3))
    }
}

/// ggml's scalar scans keep the first of equal values (strict `<` and `>`): with +0 and -0 both
/// in a block, the earlier one is Q4_1's minimum and sets the sign of the stored m. (gguf-py's
/// numpy `min` picks either, depending on the position, so this is pinned to ggml's rule.)
@Suite struct SignedZeroTests {
    @Test(arguments: [0, 3, 9, 16, 30])
    func q4_1MinimumIsTheFirstOfEqualZeros(position: Int) throws {
        for (first, second, expectedM) in [(Float(0), Float(-0.0), UInt8(0x00)), (-0.0, 0, 0x80)] {
            var values = [Float](repeating: 1, count: 32)
            values[position] = first
            values[position + 1] = second
            let block = try Transcoder.encode(values, as: .q4_1)
            #expect(block[2] == 0 && block[3] == expectedM, "first \(first) at \(position): m bytes \(block[2]), \(block[3])")
        }
    }
}
