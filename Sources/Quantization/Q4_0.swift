/// ggml's Q4_0 block: 32 values as one f16 scale and 32 unsigned nibbles offset by 8.
///
/// Byte layout (18 bytes): d: f16 | 16 bytes, byte j = q[j] | q[j + 16] << 4.  value[i] = d * (q[i] - 8).
/// Quantizing, as ggml's `quantize_row_q4_0_ref` (and gguf-py) do, all in f32: m = the first value
/// of largest magnitude, with its sign; d = m / -8, id = d == 0 ? 0 : 1 / d,
/// q = min(15, trunc(x * id + 8.5)).
enum Q4_0Block {
    @inline(__always)
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 128 readable bytes, destination 18 writable ones.
        guard let largest = BlockRounding.largestMagnitudeBits(source) else { return false }
        let m = firstValue(source, withMagnitudeBits: largest)
        let d = m / -8
        BlockRounding.storeHalf(d, destination, at: 0)
        guard let inverse = BlockRounding.inverseScale(d) else {
            BlockRounding.storeZeros(destination, at: 2, count: 16)
            return true
        }
        // Hot loop: plain 32-lane loops that LLVM vectorizes; BlockRounding says what they avoid and how they measured.
        BlockRounding.storeNibbles(destination, at: 2) { lane in
            BlockRounding.truncatedNibble(BlockRounding.value(source, lane) * inverse + 8.5)
        }
        return true
    }

    /// The first value whose |value| has these bits: ggml keeps the first of equal magnitudes
    /// (a strict `<` scan), so in a tie between 3 and -3 the earlier one sets the sign of d.
    /// Hot path. Written on SIMD4 columns (the first match per column, then a 4-way minimum)
    /// because LLVM kept every scalar form of this search scalar: an early-exit scan, and a
    /// minimum over lane numbers. Q4_0 quantization, one thread, 64 MB of f32 in memory, release
    /// build, runs interleaved on the same machine: ~1950 MB/s with the lane-number minimum,
    /// ~2400 MB/s with this (the early-exit scan was slower still, ~1765 MB/s).
    @inline(__always)
    static func firstValue(_ source: UnsafeRawPointer, withMagnitudeBits largest: UInt32) -> Float {
        // Bounds: source has 128 readable bytes (8 groups of 4 values).
        let target = SIMD4<UInt32>(repeating: largest)
        var first = SIMD4<Int32>(repeating: 32)  // per column: the first matching lane, 32 = none yet
        for group in 0..<8 {
            let magnitudes = source.loadUnaligned(fromByteOffset: group * 16, as: SIMD4<UInt32>.self) & 0x7FFF_FFFF
            let lanes = SIMD4<Int32>(0, 1, 2, 3) &+ Int32(group * 4)
            first.replace(with: lanes, where: (magnitudes .== target) .& (first .== 32))
        }
        let lane = min(min(first[0], first[1]), min(first[2], first[3]))
        return BlockRounding.value(source, Int(lane & 31))  // `largest` is one of the values: lane < 32
    }

    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has 18 readable bytes, destination 128 writable ones.
        let d = BlockRounding.loadHalf(source, at: 0)
        BlockRounding.nibbleValues(source, at: 2, to: destination)
        for lane in 0..<32 {
            let q = destination.load(fromByteOffset: lane * 4, as: Float.self) - 8  // exact: small integers
            destination.storeBytes(of: d * q, toByteOffset: lane * 4, as: Float.self)
        }
    }
}
