/// ggml's Q4_1 block: 32 values as an f16 scale, an f16 minimum and 32 unsigned nibbles.
///
/// Byte layout (20 bytes): d: f16 | m: f16 | 16 bytes, byte j = q[j] | q[j + 16] << 4.
/// value[i] = d * q[i] + m.
/// Quantizing, as ggml's `quantize_row_q4_1_ref` (and gguf-py) do, all in f32: min and max of the
/// block, d = (max - min) / 15, id = d == 0 ? 0 : 1 / d, q = min(15, trunc((x - min) * id + 0.5)).
enum Q4_1Block {
    static let bytes = 20

    @inline(__always)
    static func quantize(_ x: SIMD32<Float>, to destination: UnsafeMutableRawPointer) -> Bool {
        // destination has `bytes` writable bytes.
        guard BlockRounding.largestMagnitudeBits(x) != nil else { return false }
        let low = x.min()
        let high = x.max()
        let d = (high - low) / 15
        let inverse: Float = d == 0 ? 0 : 1 / d
        destination.storeBytes(of: HalfFloat.bits(from: d).littleEndian, as: UInt16.self)
        (destination + 2).storeBytes(of: HalfFloat.bits(from: low).littleEndian, as: UInt16.self)
        // See Q8_0Block: a subnormal d makes every product non-finite, which ggml and numpy write as 0.
        let q = inverse.isFinite ? BlockRounding.truncatedNibbles((x - low) * inverse + 0.5) : .zero
        (destination + 4).storeBytes(of: BlockRounding.packedNibbles(q), as: SIMD16<UInt8>.self)
        return true
    }

    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer) -> SIMD32<Float> {
        // source has `bytes` readable bytes.
        let d = HalfFloat.float(fromBits: UInt16(littleEndian: source.loadUnaligned(as: UInt16.self)))
        let m = HalfFloat.float(fromBits: UInt16(littleEndian: (source + 2).loadUnaligned(as: UInt16.self)))
        let q = BlockRounding.unpackedNibbles((source + 4).loadUnaligned(as: SIMD16<UInt8>.self))
        let product = d * SIMD32<Float>(SIMD32<Int32>(truncatingIfNeeded: q))
        return product + m  // two roundings, as gguf-py computes it (not a fused multiply-add)
    }
}
