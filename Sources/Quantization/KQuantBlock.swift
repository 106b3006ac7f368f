/// What the k-quant super-block kernels (256 values each) share: reading their input into
/// aligned f32 scratch, and the 6-bit scale/minimum packing of Q4_K and Q5_K.
enum KQuantBlock {
    static let elements = 256

    /// Calls `body` with the 256 f32 values at `source` (128-byte groups, possibly unaligned, as
    /// f32 input is read in place) copied to aligned scratch; false without calling it when one is
    /// NaN or infinite.
    @inline(__always)
    static func withValues(_ source: UnsafeRawPointer, _ body: (UnsafePointer<Float>) -> Void) -> Bool {
        for group in 0..<(elements / 32) {
            guard BlockRounding.largestMagnitudeBits(source + group * 128) != nil else { return false }
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: elements) { buffer in
            let values = buffer.baseAddress!
            for i in 0..<elements { values[i] = source.loadUnaligned(fromByteOffset: i * 4, as: Float.self) }
            body(UnsafePointer(values))
        }
        return true
    }

    /// Q4_K and Q5_K: eight 6-bit scales and eight 6-bit minimums in 12 bytes. Bytes 0-3 hold
    /// scales 0-3 and bytes 4-7 minimums 0-3 in their low 6 bits; bytes 8-11 hold the low nibbles
    /// of scale j and minimum j (j = 4..7) and the top 2 bits of each go to the top of bytes
    /// j - 4 and j (ggml's `get_scale_min_k4` reads them back).
    @inline(__always)
    static func packScalesAndMins(
        _ scales: SIMD8<UInt8>, _ mins: SIMD8<UInt8>, into destination: UnsafeMutableRawPointer, at offset: Int
    ) {
        for j in 0..<4 {
            let scaleByte = scales[j] | (scales[j + 4] >> 4) << 6
            let minByte = mins[j] | (mins[j + 4] >> 4) << 6
            let lowNibbles = (scales[j + 4] & 0x0F) | (mins[j + 4] & 0x0F) << 4
            destination.storeBytes(of: scaleByte, toByteOffset: offset + j, as: UInt8.self)
            destination.storeBytes(of: minByte, toByteOffset: offset + j + 4, as: UInt8.self)
            destination.storeBytes(of: lowNibbles, toByteOffset: offset + j + 8, as: UInt8.self)
        }
    }

    /// Scale and minimum of sub-block `j` (0..<8) from the 12 bytes at `source + offset`.
    @inline(__always)
    static func scaleAndMin(_ j: Int, _ source: UnsafeRawPointer, at offset: Int) -> (scale: UInt8, min: UInt8) {
        let byte = { (index: Int) in source.load(fromByteOffset: offset + index, as: UInt8.self) }
        if j < 4 { return (byte(j) & 63, byte(j + 4) & 63) }
        return ((byte(j + 4) & 0x0F) | (byte(j - 4) >> 6) << 4, (byte(j + 4) >> 4) | (byte(j) >> 6) << 4)
    }

    /// Q4_K and Q5_K quantization up to the levels: per 32-value sub-block an affine search with
    /// weights sqrt(mean x^2) + |x| (all eight sub-blocks at once, `KQuantSearch.affineScales`),
    /// the scales and minimums quantized to 6 bits against their largest (stored as f16 `d` at
    /// offset 0 and `dmin` at 2, the 12 packed bytes at 4), then each value's level recomputed from
    /// the stored scale. Levels go to `levels` (256).
    static func quantizeAffine(
        _ x: UnsafePointer<Float>, search: KQuantSearch.AffineSearch, levels: UnsafeMutablePointer<UInt8>,
        into destination: UnsafeMutableRawPointer
    ) {
        let found = withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 96) { scratch in
            let rows = scratch.baseAddress!, weights = rows + 32, trial = rows + 64
            SubBlockLanes.transpose(x, length: 32, into: rows)
            var sumX2 = Lanes()
            for l in 0..<32 { sumX2 += rows[l] * rows[l] }
            let average = (sumX2 / 32).squareRoot()
            for l in 0..<32 { weights[l] = average + SubBlockLanes.magnitude(rows[l]) }
            return KQuantSearch.affineScales(UnsafePointer(rows), weights: UnsafePointer(weights), count: 32, search, trial: trial)
        }
        var maxScale: Float = 0, maxMin: Float = 0
        for j in 0..<8 {
            if found.scale[j] > maxScale { maxScale = found.scale[j] }
            if found.minimum[j] > maxMin { maxMin = found.minimum[j] }
        }
        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        var scaleLevels = SIMD8<UInt8>(), minLevels = SIMD8<UInt8>()
        for j in 0..<8 {
            scaleLevels[j] = min(63, UInt8(truncatingIfNeeded: KQuantSearch.nearestInt(inverseScale * found.scale[j])))
            minLevels[j] = min(63, UInt8(truncatingIfNeeded: KQuantSearch.nearestInt(inverseMin * found.minimum[j])))
        }
        packScalesAndMins(scaleLevels, minLevels, into: destination, at: 4)
        BlockRounding.storeHalf(maxScale / 63, destination, at: 0)
        BlockRounding.storeHalf(maxMin / 63, destination, at: 2)
        let d = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 0)
        let dmin = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 2)
        let maxLevel = search.maxLevel
        for j in 0..<8 {
            let values = x + 32 * j, out = levels + 32 * j
            let scaled = d * Float(scaleLevels[j])
            guard scaled != 0 else {
                // ggml keeps the search's levels for this sub-block.
                let inverse = found.levelInverseScale[j], min = found.levelMin[j]
                for i in 0..<32 { out[i] = KQuantSearch.affineLevel(values[i], inverseScale: inverse, min: min, maxLevel: maxLevel) }
                continue
            }
            let shift = dmin * Float(minLevels[j])
            for i in 0..<32 {
                out[i] = UInt8(truncatingIfNeeded: max(0, min(maxLevel, KQuantSearch.nearestInt((values[i] + shift) / scaled))))
            }
        }
    }
}
