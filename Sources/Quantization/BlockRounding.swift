/// Float -> small integer steps shared by the block quantizers, on whole 32-value blocks.
///
/// Hot path. Swift's per-lane `Int32(Float)` and `rounded(_:)` become a trapping conversion or a
/// libm call per value on the x86-64 baseline (no SSE4.1 `roundps`), which made the quantizers
/// ~6x slower than ggml's reference (measured on 64 MB of normal f32 values, release build).
/// Adding 1.5 * 2^23 instead rounds every lane to the nearest integer, ties to even, with one
/// vector add, and leaves that integer in the low bits of the sum's bit pattern; the exact
/// difference to the input then corrects ties and truncation. Only adds, compares and blends.
enum BlockRounding {
    /// 1.5 * 2^23: for |v| < 2^22, v + magic lies in [2^23, 2^24), where f32 spacing is 1, and its
    /// bit pattern is 0x4B40_0000 + round(v) (two's complement in the low 22 bits).
    static let magic: Float = 0x1.8p23

    /// Low byte of each lane rounded half away from zero (C's roundf), for |lane| < 2^22.
    @inline(__always)
    static func roundedHalfAwayLowBytes(_ values: SIMD32<Float>) -> SIMD32<UInt8> {
        let shifted = values + magic
        let nearestEven = shifted - magic  // exact
        let difference = values - nearestEven  // exact: the two are within a factor of two, or nearestEven is 0
        var bits = unsafeBitCast(shifted, to: SIMD32<UInt32>.self)
        // A tie that went toward zero must go away from zero instead: +x.5 rounded down, -x.5 rounded up.
        let positiveTieDown = (difference .== 0.5) .& (values .> 0)
        let negativeTieUp = (difference .== -0.5) .& (values .< 0)
        bits.replace(with: bits &+ 1, where: positiveTieDown)
        bits.replace(with: bits &- 1, where: negativeTieUp)
        return SIMD32<UInt8>(truncatingIfNeeded: bits)
    }

    /// Each lane truncated toward zero and capped at 15, for lanes in [0, 2^22): the nibble step of
    /// Q4_0 and Q4_1 (C's `MIN(15, (int8_t)v)` on non-negative v).
    @inline(__always)
    static func truncatedNibbles(_ values: SIMD32<Float>) -> SIMD32<UInt8> {
        let shifted = values + magic
        let nearestEven = shifted - magic
        var bits = unsafeBitCast(shifted, to: SIMD32<UInt32>.self)
        bits.replace(with: bits &- 1, where: nearestEven .> values)  // rounded up: step back
        let integers = bits & 0xFF  // the values are non-negative and small: the low byte is the integer
        return SIMD32<UInt8>(truncatingIfNeeded: integers.replacing(with: 15, where: integers .> 15))
    }

    /// Q4 packing: byte j holds q[j] in its low nibble and q[j + 16] in its high nibble.
    @inline(__always)
    static func packedNibbles(_ q: SIMD32<UInt8>) -> SIMD16<UInt8> {
        q.lowHalf | (q.highHalf &<< 4)
    }

    /// The inverse of `packedNibbles`: 32 values in 0...15.
    @inline(__always)
    static func unpackedNibbles(_ packed: SIMD16<UInt8>) -> SIMD32<UInt8> {
        SIMD32(lowHalf: packed & 0x0F, highHalf: packed &>> 4)
    }

    /// Largest |value| as f32 bits, computed on integers (for non-negative floats the integer order is
    /// the float order), or nil when a lane is NaN or infinite.
    @inline(__always)
    static func largestMagnitudeBits(_ values: SIMD32<Float>) -> UInt32? {
        let magnitudes = unsafeBitCast(values, to: SIMD32<UInt32>.self) & 0x7FFF_FFFF
        let largest = magnitudes.max()
        return largest < 0x7F80_0000 ? largest : nil
    }
}
