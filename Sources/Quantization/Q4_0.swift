/// ggml's Q4_0 block: 32 values as one f16 scale and 32 unsigned nibbles offset by 8.
///
/// Byte layout (18 bytes): d: f16 | 16 bytes, byte j = q[j] | q[j + 16] << 4.  value[i] = d * (q[i] - 8).
/// Quantizing, as ggml's `quantize_row_q4_0_ref` (and gguf-py) do, all in f32: m = the first value
/// of largest magnitude, with its sign; d = m / -8, id = d == 0 ? 0 : 1 / d,
/// q = min(15, trunc(x * id + 8.5)).
enum Q4_0Block {
    static let bytes = 18

    @inline(__always)
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 128 readable bytes, destination `bytes` writable ones.
        guard let largest = BlockRounding.largestMagnitudeBits(source) else { return false }
        let m = firstValue(source, withMagnitudeBits: largest)
        let d = m / -8
        let inverse: Float = d == 0 ? 0 : 1 / d
        BlockRounding.storeHalf(d, destination, at: 0)
        // See Q8_0Block: a subnormal d makes every product non-finite, which ggml and numpy write as 0.
        guard inverse.isFinite else {
            BlockRounding.storeZeros(destination, at: 2, count: 16)
            return true
        }
        BlockRounding.storeNibbles(destination, at: 2) { lane in
            BlockRounding.truncatedNibble(BlockRounding.value(source, lane) * inverse + 8.5)
        }
        return true
    }

    /// The first value whose |value| has these bits: ggml keeps the first of equal magnitudes
    /// (a strict `<` scan), so in a tie between 3 and -3 the earlier one sets the sign of d.
    /// Written as a minimum over lane numbers rather than an early-exit scan so that it
    /// vectorizes: 1765 MB/s with the scan, 2110 MB/s with this (one thread, 64 MB of f32 in memory).
    @inline(__always)
    static func firstValue(_ source: UnsafeRawPointer, withMagnitudeBits largest: UInt32) -> Float {
        var first = 31  // `largest` is one of the values, so some lane matches
        for lane in 0..<32 {
            let bits = source.loadUnaligned(fromByteOffset: lane * 4, as: UInt32.self)
            first = min(first, bits & 0x7FFF_FFFF == largest ? lane : 31)
        }
        return BlockRounding.value(source, first)
    }

    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has `bytes` readable bytes, destination 128 writable ones.
        let d = BlockRounding.loadHalf(source, at: 0)
        for lane in 0..<32 {
            let q = Int32(BlockRounding.nibble(source, at: 2, lane: lane)) - 8
            destination.storeBytes(of: d * Float(q), toByteOffset: lane * 4, as: Float.self)
        }
    }
}
