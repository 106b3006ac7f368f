/// ggml's Q4_0 block: 32 values as one f16 scale and 32 unsigned nibbles offset by 8.
///
/// Byte layout (18 bytes): d: f16 | 16 bytes, byte j = q[j] | q[j + 16] << 4.  value[i] = d * (q[i] - 8).
/// Quantizing, as ggml's `quantize_row_q4_0_ref` (and gguf-py) do, all in f32: m = the first value
/// of largest magnitude, with its sign; d = m / -8, id = d == 0 ? 0 : 1 / d,
/// q = min(15, trunc(x * id + 8.5)).
enum Q4_0Block {
    static let bytes = 18

    @inline(__always)
    static func quantize(_ x: SIMD32<Float>, to destination: UnsafeMutableRawPointer) -> Bool {
        // destination has `bytes` writable bytes.
        guard let largest = BlockRounding.largestMagnitudeBits(x) else { return false }
        let m = firstValue(of: x, withMagnitudeBits: largest)
        let d = m / -8
        let inverse: Float = d == 0 ? 0 : 1 / d
        destination.storeBytes(of: HalfFloat.bits(from: d).littleEndian, as: UInt16.self)
        // See Q8_0Block: a subnormal d makes every product non-finite, which ggml and numpy write as 0.
        let q = inverse.isFinite ? BlockRounding.truncatedNibbles(x * inverse + 8.5) : .zero
        (destination + 2).storeBytes(of: BlockRounding.packedNibbles(q), as: SIMD16<UInt8>.self)
        return true
    }

    /// The first lane whose |value| has these bits: ggml keeps the first of equal magnitudes
    /// (a strict `<` scan), so in a tie between 3 and -3 the earlier one sets the sign of d.
    @inline(__always)
    static func firstValue(of x: SIMD32<Float>, withMagnitudeBits largest: UInt32) -> Float {
        let magnitudes = unsafeBitCast(x, to: SIMD32<UInt32>.self) & 0x7FFF_FFFF
        for lane in 0..<32 where magnitudes[lane] == largest { return x[lane] }
        return x[0]  // unreachable: `largest` is one of the lanes
    }

    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer) -> SIMD32<Float> {
        // source has `bytes` readable bytes.
        let d = HalfFloat.float(fromBits: UInt16(littleEndian: source.loadUnaligned(as: UInt16.self)))
        let q = BlockRounding.unpackedNibbles((source + 2).loadUnaligned(as: SIMD16<UInt8>.self))
        let centred = SIMD32<Int32>(truncatingIfNeeded: q) &- 8
        return d * SIMD32<Float>(centred)
    }
}
