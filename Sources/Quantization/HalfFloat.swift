/// IEEE 754 binary16 ("f16", ggml's GGML_TYPE_F16) <-> binary32, on bit patterns.
///
/// Written on integers rather than through Swift's `Float16`, so the result is the same on every
/// CPU and never depends on whether the hardware has F16C: round to nearest, ties to even; values
/// from 65520 up become infinity; infinities keep their sign. NaN payloads follow numpy's
/// `astype(float16)` (the converter gguf-py uses): the sign and the top 10 payload bits are kept,
/// and a payload that would vanish becomes 1, so a NaN always stays a NaN.
public enum HalfFloat {
    /// f32 -> f16 bits.
    @inline(__always)
    public static func bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude >= 0x7F80_0000 {
            guard magnitude > 0x7F80_0000 else { return sign | 0x7C00 }  // infinity
            let payload = UInt16(truncatingIfNeeded: (magnitude >> 13) & 0x3FF)
            return sign | 0x7C00 | (payload == 0 ? 1 : payload)
        }
        if magnitude >= 0x477F_F000 { return sign | 0x7C00 }  // >= 65520: rounds past 65504
        if magnitude < 0x3880_0000 { return sign | subnormalBits(magnitude) }  // below 2^-14
        // Normal: rebias the exponent (127 -> 15), keep 10 of 23 mantissa bits, round the 13 dropped
        // ones to nearest even. A carry out of the mantissa correctly bumps the exponent.
        let rebiased = magnitude &- 0x3800_0000  // exponent - 112, in place
        let kept = rebiased >> 13
        let dropped = rebiased & 0x1FFF
        let roundUp = dropped > 0x1000 || (dropped == 0x1000 && kept & 1 == 1)
        return sign | UInt16(truncatingIfNeeded: kept &+ (roundUp ? 1 : 0))
    }

    /// |value| < 2^-14: a multiple of 2^-24, rounded to nearest even (0x400 when it rounds up to
    /// the smallest normal, which is exactly that encoding).
    @inline(__always)
    static func subnormalBits(_ magnitude: UInt32) -> UInt16 {
        let exponent = Int(magnitude >> 23)
        // value = mantissa * 2^(exponent - 150); in units of 2^-24 that is mantissa >> (126 - exponent).
        let shift = 126 - exponent
        guard exponent > 0, shift <= 24 else { return 0 }  // below 2^-25 (ties to even at 0 too)
        let mantissa = (magnitude & 0x7F_FFFF) | 0x80_0000
        let kept = mantissa >> UInt32(shift)
        let dropped = mantissa & ((1 << UInt32(shift)) - 1)
        let half: UInt32 = 1 << UInt32(shift - 1)
        let roundUp = dropped > half || (dropped == half && kept & 1 == 1)
        return UInt16(truncatingIfNeeded: kept + (roundUp ? 1 : 0))
    }

    /// f16 bits -> f32, exactly (every f16 is a f32). NaN payloads are kept as they are.
    @inline(__always)
    public static func float(fromBits half: UInt16) -> Float {
        let sign = UInt32(half & 0x8000) << 16
        let exponent = UInt32(half >> 10) & 0x1F
        let mantissa = UInt32(half & 0x3FF)
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
        if exponent == 0 {
            // Zero or subnormal: mantissa * 2^-24, exact in f32.
            let magnitude = Float(mantissa) * 0x1p-24
            return Float(bitPattern: sign | magnitude.bitPattern)
        }
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }
}
