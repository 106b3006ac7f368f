/// ggml's Q2_K super-block: 256 values in 16 sub-blocks of 16, each with a 4-bit scale and a
/// 4-bit minimum, and 2-bit levels.
///
/// Byte layout (84 bytes): scales: 16 bytes, scale j in the low nibble of byte j and minimum j
/// in the high one | qs: 64 bytes, 2-bit levels packed as in Q3_K | d: f16 | dmin: f16.
/// value = d * scale[e / 16] * q - dmin * min[e / 16].
/// Quantizing: ggml's `quantize_row_q2_K_ref`: per sub-block an affine search (levels 0...3,
/// weights |x|, 16 trial scales from -0.5 in steps of 0.1, absolute error), scales and minimums
/// to 4 bits against their largest, each value's level recomputed from the stored pair.
enum Q2_KBlock {
    static let search = KQuantSearch.AffineSearch(maxLevel: 3, rmin: -0.5, rdelta: 0.1, steps: 15, absoluteError: true)

    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 1024 readable bytes, destination 84 writable ones.
        KQuantBlock.withValues(source) { x in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { levels in
                quantize(x, levels: levels.baseAddress!, into: destination)
            }
        }
    }

    private static func quantize(_ x: UnsafePointer<Float>, levels: UnsafeMutablePointer<UInt8>, into destination: UnsafeMutableRawPointer) {
        var scales = SIMD16<Float>(), mins = SIMD16<Float>()
        var levelInverseScales = SIMD16<Float>(), levelMins = SIMD16<Float>()
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 48) { scratch in
            let rows = scratch.baseAddress!, weights = rows + 16, trial = rows + 32
            for group in 0..<2 {  // sub-blocks 0-7, then 8-15
                SubBlockLanes.transpose(x + 128 * group, length: 16, into: rows)
                for l in 0..<16 { weights[l] = SubBlockLanes.magnitude(rows[l]) }
                let found = KQuantSearch.affineScales(UnsafePointer(rows), weights: UnsafePointer(weights), count: 16, search, trial: trial)
                if group == 0 {
                    (scales.lowHalf, mins.lowHalf) = (found.scale, found.minimum)
                    (levelInverseScales.lowHalf, levelMins.lowHalf) = (found.levelInverseScale, found.levelMin)
                } else {
                    (scales.highHalf, mins.highHalf) = (found.scale, found.minimum)
                    (levelInverseScales.highHalf, levelMins.highHalf) = (found.levelInverseScale, found.levelMin)
                }
            }
        }
        var maxScale: Float = 0, maxMin: Float = 0
        for j in 0..<16 {
            if scales[j] > maxScale { maxScale = scales[j] }
            if mins[j] > maxMin { maxMin = mins[j] }
        }
        var packed = SIMD16<UInt8>()
        if maxScale > 0 {
            let inverse = 15 / maxScale
            for j in 0..<16 { packed[j] = UInt8(truncatingIfNeeded: KQuantSearch.nearestInt(inverse * scales[j])) }
            BlockRounding.storeHalf(maxScale / 15, destination, at: 80)
        } else {
            BlockRounding.storeHalf(0, destination, at: 80)
        }
        if maxMin > 0 {
            let inverse = 15 / maxMin
            for j in 0..<16 { packed[j] |= UInt8(truncatingIfNeeded: KQuantSearch.nearestInt(inverse * mins[j]) << 4) }
            BlockRounding.storeHalf(maxMin / 15, destination, at: 82)
        } else {
            BlockRounding.storeHalf(0, destination, at: 82)
        }
        destination.storeBytes(of: packed, toByteOffset: 0, as: SIMD16<UInt8>.self)
        let d = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 80)
        let dmin = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 82)
        for j in 0..<16 {
            let values = x + 16 * j, out = levels + 16 * j
            let scaled = d * Float(packed[j] & 0x0F)
            guard scaled != 0 else {
                // ggml keeps the search's levels for this sub-block.
                let inverse = levelInverseScales[j], min = levelMins[j]
                for i in 0..<16 { out[i] = KQuantSearch.affineLevel(values[i], inverseScale: inverse, min: min, maxLevel: 3) }
                continue
            }
            let minimum = dmin * Float(packed[j] >> 4)
            for i in 0..<16 {
                out[i] = UInt8(truncatingIfNeeded: max(0, min(3, KQuantSearch.nearestInt((values[i] + minimum) / scaled))))
            }
        }
        KQuantBlock.storeTwoBitLevels({ levels[$0] }, into: destination, at: 16)
    }

    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has 84 readable bytes, destination 1024 writable ones.
        let d = BlockRounding.loadHalf(source, at: 80)
        let dmin = BlockRounding.loadHalf(source, at: 82)
        for e in 0..<256 {
            let packed = source.load(fromByteOffset: e / 16, as: UInt8.self)
            let scaled = d * Float(packed & 0x0F), minimum = dmin * Float(packed >> 4)
            let q = KQuantBlock.twoBitLevel(source, at: 16, element: e)
            destination.storeBytes(of: scaled * Float(q) - minimum, toByteOffset: e * 4, as: Float.self)
        }
    }
}
