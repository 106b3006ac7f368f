/// IEEE 754 binary16 ("f16", ggml's GGML_TYPE_F16) <-> binary32, on bit patterns.
///
/// Written on integers rather than through Swift's `Float16`, so the result is the same on every
/// CPU and never depends on whether the hardware has F16C: round to nearest, ties to even; values
/// from 65520 up become infinity; infinities keep their sign. NaN payloads follow numpy's
/// `astype(float16)` (the converter gguf-py uses): the sign and the top 10 payload bits are kept,
/// and a payload that would vanish becomes 1, so a NaN always stays a NaN.
public enum HalfFloat {
    /// f32 -> f16 bits.
    ///
    /// Hot path (`convert --type f16`, every block scale). Every case is computed and the right one
    /// selected, with no branch and no shift by a variable amount, so loops over it can vectorize on
    /// SSE2. Measured with `Transcoder.encode(_:as: .f16)` on 64 MB of f32 in memory, one thread,
    /// release build, runs interleaved: a branchy version with a variable-shift subnormal path
    /// ~740 MB/s, this one ~1200 MB/s.
    @inline(__always)
    public static func bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = (bits >> 16) & 0x8000
        let magnitude = bits & 0x7FFF_FFFF
        // Normal: rebias the exponent (127 -> 15, i.e. subtract 112 << 23), then round the 13
        // mantissa bits about to be dropped to nearest even: add 0xFFF, plus 1 when the kept part is odd.
        // A carry out of the mantissa correctly bumps the exponent.
        let normal = (magnitude &+ 0xC800_0FFF &+ ((magnitude >> 13) & 1)) >> 13
        // Below 2^-14: adding 0.5 puts the value where f32's spacing is 2^-24, the f16 subnormal
        // step, so the float addition itself rounds to nearest even; the low bits are the result
        // (0x400, the smallest normal, when it rounds up to 2^-14).
        let subnormal = (Float(bitPattern: magnitude) + 0.5).bitPattern &- 0x3F00_0000
        let payload = (magnitude >> 13) & 0x3FF
        let nan = 0x7C00 | (payload == 0 ? 1 : payload)
        var result = magnitude < 0x3880_0000 ? subnormal : normal
        result = magnitude >= 0x477F_F000 ? 0x7C00 : result  // from 65520 up: rounds past 65504
        result = magnitude > 0x7F80_0000 ? nan : result
        return UInt16(truncatingIfNeeded: result | sign)
    }

    /// f16 bits -> f32, exactly (every f16 is a f32). NaN payloads are kept as they are.
    /// Branch-free for the same reason as `bits(from:)`.
    @inline(__always)
    public static func float(fromBits half: UInt16) -> Float {
        let sign = UInt32(half & 0x8000) << 16
        let exponent = UInt32(half >> 10) & 0x1F
        let mantissa = UInt32(half & 0x3FF)
        let normal = (exponent &+ 112) << 23 | mantissa << 13
        let special = 0x7F80_0000 | mantissa << 13  // infinity or NaN
        let subnormal = (Float(mantissa) * 0x1p-24).bitPattern  // zero or mantissa * 2^-24, exact
        let magnitude = exponent == 0x1F ? special : (exponent == 0 ? subnormal : normal)
        return Float(bitPattern: sign | magnitude)
    }
}
