/// bfloat16 ("bf16", the top half of a binary32) <-> binary32, on bit patterns.
///
/// f32 -> bf16 rounds to nearest, ties to even, as ggml's `ggml_compute_fp32_to_bf16` and
/// gguf-py do; a NaN keeps its sign and top payload bits and gets the quiet bit, so it stays a
/// NaN (plain rounding could carry a NaN into infinity). Infinities stay infinities.
public enum BrainFloat {
    @inline(__always)
    public static func bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if bits & 0x7FFF_FFFF > 0x7F80_0000 {
            return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
        }
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        // No overflow: the largest finite magnitude 0x7F7FFFFF + 0x8000 still fits, and rounds to infinity.
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    /// bf16 bits -> f32, exactly.
    @inline(__always)
    public static func float(fromBits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
