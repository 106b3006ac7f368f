/// ggml's Q4_1 block: 32 values as an f16 scale, an f16 minimum and 32 unsigned nibbles.
///
/// Byte layout (20 bytes): d: f16 | m: f16 | 16 bytes, byte j = q[j] | q[j + 16] << 4.
/// value[i] = d * q[i] + m.
/// Quantizing, as ggml's `quantize_row_q4_1_ref` (and gguf-py) do, all in f32: min and max of the
/// block, d = (max - min) / 15, id = d == 0 ? 0 : 1 / d, q = min(15, trunc((x - min) * id + 0.5)).
enum Q4_1Block {
    static let bytes = 20

    @inline(__always)
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 128 readable bytes, destination `bytes` writable ones.
        guard BlockRounding.largestMagnitudeBits(source) != nil else { return false }
        // Hot loop: plain 32-lane loops that LLVM vectorizes; BlockRounding says what they avoid and how they measured.
        // min/max stay float compares (not integer keys) so that, as in ggml, the first of equal values wins (+0 vs -0).
        var low = BlockRounding.value(source, 0)
        var high = low
        for lane in 1..<32 {
            let value = BlockRounding.value(source, lane)
            low = value < low ? value : low
            high = value > high ? value : high
        }
        let d = (high - low) / 15
        let inverse: Float = d == 0 ? 0 : 1 / d
        BlockRounding.storeHalf(d, destination, at: 0)
        BlockRounding.storeHalf(low, destination, at: 2)
        // See Q8_0Block: a subnormal d makes every product non-finite, which ggml and numpy write as 0.
        guard inverse.isFinite else {
            BlockRounding.storeZeros(destination, at: 4, count: 16)
            return true
        }
        BlockRounding.storeNibbles(destination, at: 4) { lane in
            BlockRounding.truncatedNibble((BlockRounding.value(source, lane) - low) * inverse + 0.5)
        }
        return true
    }

    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has `bytes` readable bytes, destination 128 writable ones.
        let d = BlockRounding.loadHalf(source, at: 0)
        let m = BlockRounding.loadHalf(source, at: 2)
        for lane in 0..<32 {
            let product = d * Float(BlockRounding.nibble(source, at: 4, lane: lane))
            // Two roundings, as gguf-py computes it (not a fused multiply-add).
            destination.storeBytes(of: product + m, toByteOffset: lane * 4, as: Float.self)
        }
    }
}
