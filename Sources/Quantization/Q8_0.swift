/// ggml's Q8_0 block: 32 values as one f16 scale and 32 signed bytes.
///
/// Byte layout (34 bytes): d: f16 | q[0] ... q[31]: Int8.  value[i] = d * q[i].
/// Quantizing, as ggml's `quantize_row_q8_0_ref` (and gguf-py) do, all in f32:
/// amax = max |x|, d = amax / 127, id = d == 0 ? 0 : 1 / d, q = roundf(x * id) (half away from zero).
enum Q8_0Block {
    static let bytes = 34

    /// Writes one block; false (nothing meaningful written) when a value is NaN or infinite.
    @inline(__always)
    static func quantize(_ x: SIMD32<Float>, to destination: UnsafeMutableRawPointer) -> Bool {
        // destination has `bytes` writable bytes (the caller sized the output by whole blocks).
        guard let largest = BlockRounding.largestMagnitudeBits(x) else { return false }
        let d = Float(bitPattern: largest) / 127
        let inverse: Float = d == 0 ? 0 : 1 / d
        destination.storeBytes(of: HalfFloat.bits(from: d).littleEndian, as: UInt16.self)
        // A subnormal d overflows 1 / d: every product is then infinite or NaN, which ggml and
        // numpy turn into 0 on x86; written out here rather than left to undefined conversions.
        let q = inverse.isFinite ? BlockRounding.roundedHalfAwayLowBytes(x * inverse) : .zero
        (destination + 2).storeBytes(of: q, as: SIMD32<UInt8>.self)
        return true
    }

    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer) -> SIMD32<Float> {
        // source has `bytes` readable bytes.
        let d = HalfFloat.float(fromBits: UInt16(littleEndian: source.loadUnaligned(as: UInt16.self)))
        let q = (source + 2).loadUnaligned(as: SIMD32<Int8>.self)
        return SIMD32<Float>(SIMD32<Int32>(truncatingIfNeeded: q)) * d
    }
}
