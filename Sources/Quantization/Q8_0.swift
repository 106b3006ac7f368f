/// ggml's Q8_0 block: 32 values as one f16 scale and 32 signed bytes.
///
/// Byte layout (34 bytes): d: f16 | q[0] ... q[31]: Int8.  value[i] = d * q[i].
/// Quantizing, as ggml's `quantize_row_q8_0_ref` (and gguf-py) do, all in f32:
/// amax = max |x|, d = amax / 127, id = d == 0 ? 0 : 1 / d, q = roundf(x * id) (half away from zero).
enum Q8_0Block {
    /// Quantizes the 32 f32 values at `source` into one block at `destination`; false (block
    /// unspecified) when a value is NaN or infinite.
    @inline(__always)
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 128 readable bytes, destination 34 writable ones (the caller sized
        // both by whole blocks).
        guard let largest = BlockRounding.largestMagnitudeBits(source) else { return false }
        let d = Float(bitPattern: largest) / 127
        BlockRounding.storeHalf(d, destination, at: 0)
        guard let inverse = BlockRounding.inverseScale(d) else {
            BlockRounding.storeZeros(destination, at: 2, count: 32)
            return true
        }
        // Hot loop: plain 32-lane loops that LLVM vectorizes; BlockRounding says what they avoid and how they measured.
        for lane in 0..<32 {
            let q = BlockRounding.roundedHalfAwayLowByte(BlockRounding.value(source, lane) * inverse)
            destination.storeBytes(of: q, toByteOffset: 2 + lane, as: UInt8.self)
        }
        return true
    }

    /// The block at `source` (34 bytes readable) as 32 f32 values at `destination` (128 writable).
    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        let d = BlockRounding.loadHalf(source, at: 0)
        for lane in 0..<32 {
            let q = source.load(fromByteOffset: 2 + lane, as: Int8.self)
            destination.storeBytes(of: Float(q) * d, toByteOffset: lane * 4, as: Float.self)
        }
    }
}
