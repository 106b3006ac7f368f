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
