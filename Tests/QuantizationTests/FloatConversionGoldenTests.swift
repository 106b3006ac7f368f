import Testing
import TestSupport
@testable import Quantization

/// f32 <-> f16 <-> bf16 against numpy and gguf-py (cross-checked with torch by the generator):
/// special values, every rounding halfway point neighbourhood, random bit patterns.
@Suite struct FloatConversionGoldenTests {
    @Test func f32ToF16MatchesNumpyOnEveryPattern() throws {
        let input = try GoldenFiles.words("floats.f32.in.bin", as: UInt32.self)
        let expected = try GoldenFiles.words("floats.f32-to-f16.out.bin", as: UInt16.self)
        let found = input.map { HalfFloat.bits(from: Float(bitPattern: $0)) }
        let mismatch = zip(input, zip(found, expected)).first { $0.1.0 != $0.1.1 }
        #expect(mismatch == nil, "f32 \(hex(mismatch?.0)): expected f16 \(hex(mismatch?.1.1)), found \(hex(mismatch?.1.0))")
    }

    @Test func f32ToBF16MatchesGGMLRoundingOnEveryPattern() throws {
        let input = try GoldenFiles.words("floats.f32.in.bin", as: UInt32.self)
        let expected = try GoldenFiles.words("floats.f32-to-bf16.out.bin", as: UInt16.self)
        let found = input.map { BrainFloat.bits(from: Float(bitPattern: $0)) }
        let mismatch = zip(input, zip(found, expected)).first { $0.1.0 != $0.1.1 }
        #expect(mismatch == nil, "f32 \(hex(mismatch?.0)): expected bf16 \(hex(mismatch?.1.1)), found \(hex(mismatch?.1.0))")
    }

    @Test func f16ToF32MatchesNumpyOnEveryPattern() throws {
        let input = try GoldenFiles.words("floats.f16-to-f32.in.bin", as: UInt16.self)
        let expected = try GoldenFiles.words("floats.f16-to-f32.out.bin", as: UInt32.self)
        let found = input.map { HalfFloat.float(fromBits: $0).bitPattern }
        let mismatch = zip(input, zip(found, expected)).first { $0.1.0 != $0.1.1 }
        #expect(mismatch == nil, "f16 \(hex(mismatch?.0)): expected f32 \(hex(mismatch?.1.1)), found \(hex(mismatch?.1.0))")
    }

    @Test func everyF16SurvivesARoundTripThroughF32() {
        for half in UInt16.min...UInt16.max {
            let back = HalfFloat.bits(from: HalfFloat.float(fromBits: half))
            #expect(back == half, "f16 \(hex(half)) came back as \(hex(back))")
            if back != half { return }
        }
    }

    @Test func bulkConversionsEqualTheScalarOnes() throws {
        // The Transcoder's 32-wide path and its scalar tail must agree with the per-value functions.
        let bits = try GoldenFiles.words("floats.f32.in.bin", as: UInt32.self)
        let values = bits.map(Float.init(bitPattern:))
        let f16 = try Transcoder.encode(values, as: .f16, threads: 2)
        let bf16 = try Transcoder.encode(values, as: .bf16, threads: 2)
        #expect(f16 == littleEndianBytes(values.map(HalfFloat.bits(from:))))
        #expect(bf16 == littleEndianBytes(values.map(BrainFloat.bits(from:))))
        let widened = try Transcoder.decode(bf16, from: .bf16)
        #expect(widened.map(\.bitPattern) == values.map { BrainFloat.float(fromBits: BrainFloat.bits(from: $0)).bitPattern })
    }

    @Test func bf16ToF16RoundsOnceThroughF32() throws {
        // bf16 1 + 2^-7 (0x3F81) is exact in f16 (0x3C08); bf16 of 65536 (0x4780) overflows f16 to infinity.
        let found = try Transcoder.transcode(littleEndianBytes([0x3F81, 0x4780, 0xFF80] as [UInt16]), from: .bf16, to: .f16)
        #expect(found == littleEndianBytes([0x3C08, 0x7C00, 0xFC00] as [UInt16]))
    }
}

func hex<T: FixedWidthInteger>(_ value: T?) -> String {
    value.map { "0x" + String($0, radix: 16) } ?? "-"
}

func littleEndianBytes<T: FixedWidthInteger>(_ words: [T]) -> [UInt8] {
    words.flatMap { word in (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) } }
}
