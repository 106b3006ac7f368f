/// ggml's Q4_1 block: 32 values as an f16 scale, an f16 minimum and 32 unsigned nibbles.
///
/// Byte layout (20 bytes): d: f16 | m: f16 | 16 bytes, byte j = q[j] | q[j + 16] << 4.
/// value[i] = d * q[i] + m.
/// Quantizing, as ggml's `quantize_row_q4_1_ref` (and gguf-py) do, all in f32: min and max of the
/// block, d = (max - min) / 15, id = d == 0 ? 0 : 1 / d, q = min(15, trunc((x - min) * id + 0.5)).
enum Q4_1Block {
    @inline(__always)
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 128 readable bytes, destination 20 writable ones.
        guard BlockRounding.largestMagnitudeBits(source) != nil else { return false }
        // Hot loop: plain 32-lane loops that LLVM vectorizes; BlockRounding says what they avoid and how they measured.
        let (low, high) = range(source)
        let d = (high - low) / 15
        BlockRounding.storeHalf(d, destination, at: 0)
        BlockRounding.storeHalf(low, destination, at: 2)
        guard let inverse = BlockRounding.inverseScale(d) else {
            BlockRounding.storeZeros(destination, at: 4, count: 16)
            return true
        }
        BlockRounding.storeNibbles(destination, at: 4) { lane in
            BlockRounding.truncatedNibble((BlockRounding.value(source, lane) - low) * inverse + 0.5)
        }
        return true
    }

    /// The block's minimum and maximum, each the first of equal values as in ggml's strict `<`/`>`
    /// scan (which decides the sign of a zero minimum when +0 and -0 are both present).
    /// Hot path: kept on SIMD4 columns, with the lane of each column's extreme, because LLVM left
    /// the scalar scan scalar (a float min/max reduction may not be reordered). Q4_1 quantization,
    /// one thread, 64 MB of f32 in memory, runs interleaved on a loaded machine: scalar scan
    /// ~645 MB/s, this ~810 MB/s.
    @inline(__always)
    static func range(_ source: UnsafeRawPointer) -> (low: Float, high: Float) {
        // Bounds: source has 128 readable bytes (8 groups of 4 values).
        var low = source.loadUnaligned(as: SIMD4<Float>.self), high = low
        var lowLane = SIMD4<Int32>(0, 1, 2, 3), highLane = lowLane
        for group in 1..<8 {
            let values = source.loadUnaligned(fromByteOffset: group * 16, as: SIMD4<Float>.self)
            let lanes = SIMD4<Int32>(0, 1, 2, 3) &+ Int32(group * 4)
            let below = values .< low, above = values .> high
            low.replace(with: values, where: below)
            lowLane.replace(with: lanes, where: below)
            high.replace(with: values, where: above)
            highLane.replace(with: lanes, where: above)
        }
        var best = (low: low[0], lowLane: lowLane[0], high: high[0], highLane: highLane[0])
        for column in 1..<4 {
            if low[column] < best.low || (low[column] == best.low && lowLane[column] < best.lowLane) {
                best.low = low[column]
                best.lowLane = lowLane[column]
            }
            if high[column] > best.high || (high[column] == best.high && highLane[column] < best.highLane) {
                best.high = high[column]
                best.highLane = highLane[column]
            }
        }
        return (best.low, best.high)
    }

    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has 20 readable bytes, destination 128 writable ones.
        let d = BlockRounding.loadHalf(source, at: 0)
        let m = BlockRounding.loadHalf(source, at: 2)
        BlockRounding.nibbleValues(source, at: 4, to: destination)
        for lane in 0..<32 {
            let product = d * destination.load(fromByteOffset: lane * 4, as: Float.self)
            // Two roundings, as gguf-py computes it (not a fused multiply-add).
            destination.storeBytes(of: product + m, toByteOffset: lane * 4, as: Float.self)
        }
    }
}
