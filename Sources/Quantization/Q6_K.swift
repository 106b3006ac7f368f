/// ggml's Q6_K super-block: 256 values in 16 sub-blocks of 16, each with a signed 8-bit scale,
/// and 6-bit levels offset by 32.
///
/// Byte layout (210 bytes): ql: 128 bytes | qh: 64 bytes | scales: 16 Int8 | d: f16. Value
/// e = 128h + 32c + l (h 0..<2, c 0..<4, l 0..<32) has its low nibble in ql[64h + l + 32(c % 2)]
/// (low half for c < 2, high half otherwise) and its top 2 bits at bit 2c of qh[32h + l].
/// value = d * scale[e / 16] * (q - 32).
/// Quantizing: ggml's `quantize_row_q6_K_ref`: per sub-block `KQuantSearch.symmetricScales` (levels
/// -32...31), the scales quantized to Int8 against the one of largest magnitude, each value's
/// level recomputed from the stored scale.
enum Q6_KBlock {
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 1024 readable bytes, destination 210 writable ones.
        KQuantBlock.withValues(source) { x in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { levels in
                quantize(x, levels: levels.baseAddress!, into: destination)
            }
        }
    }

    private static func quantize(_ x: UnsafePointer<Float>, levels: UnsafeMutablePointer<UInt8>, into destination: UnsafeMutableRawPointer) {
        var scales = SIMD16<Float>(), levelInverseScales = SIMD16<Float>()
        var nonZero: UInt32 = 0  // bit j: sub-block j is not all zero
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 48) { scratch in
            let rows = scratch.baseAddress!, squares = rows + 16, cubes = rows + 32
            for group in 0..<2 {  // sub-blocks 0-7, then 8-15
                SubBlockLanes.transpose(x + 128 * group, length: 16, into: rows)
                for l in 0..<16 {
                    squares[l] = rows[l] * rows[l]
                    cubes[l] = squares[l] * rows[l]
                }
                let found = KQuantSearch.symmetricScales(
                    UnsafePointer(rows), xSquared: UnsafePointer(squares), xCubed: UnsafePointer(cubes), count: 16, maxLevel: 32)
                if group == 0 {
                    (scales.lowHalf, levelInverseScales.lowHalf) = (found.scale, found.levelInverseScale)
                } else {
                    (scales.highHalf, levelInverseScales.highHalf) = (found.scale, found.levelInverseScale)
                }
                for j in 0..<8 where found.nonZero[j] { nonZero |= 1 << (8 * group + j) }
            }
        }
        var maxScale: Float = 0, maxAbsScale: Float = 0
        for block in 0..<16 where abs(scales[block]) > maxAbsScale {
            maxAbsScale = abs(scales[block])
            maxScale = scales[block]
        }
        guard maxAbsScale >= KQuantSearch.groupMaxEpsilon else {
            BlockRounding.storeZeros(destination, at: 0, count: 210)
            return
        }
        let inverseScale = -128 / maxScale
        BlockRounding.storeHalf(1 / inverseScale, destination, at: 208)
        var stored = SIMD16<Int8>()
        for block in 0..<16 {
            stored[block] = Int8(truncatingIfNeeded: min(127, KQuantSearch.nearestInt(inverseScale * scales[block])))
        }
        destination.storeBytes(of: stored, toByteOffset: 192, as: SIMD16<Int8>.self)
        let d = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 208)
        for block in 0..<16 {
            let values = x + 16 * block, out = levels + 16 * block
            let scaled = d * Float(stored[block])
            guard scaled != 0 else {
                // ggml keeps the search's levels for this sub-block (0 for an all-zero one).
                let inverse = levelInverseScales[block], searched = nonZero >> block & 1 != 0
                for i in 0..<16 {
                    let level = searched ? KQuantSearch.symmetricLevel(values[i], inverseScale: inverse, maxLevel: 32) : 0
                    out[i] = UInt8(bitPattern: level)
                }
                continue
            }
            for i in 0..<16 {
                out[i] = UInt8(truncatingIfNeeded: max(-32, min(31, KQuantSearch.nearestInt(values[i] / scaled))) + 32)
            }
        }
        for half in 0..<2 {
            for l in 0..<32 {
                let q = levels + 128 * half + l  // q[0], q[32], q[64], q[96]: values 32c + l of this half
                destination.storeBytes(of: (q[0] & 0x0F) | (q[64] & 0x0F) << 4, toByteOffset: 64 * half + l, as: UInt8.self)
                destination.storeBytes(of: (q[32] & 0x0F) | (q[96] & 0x0F) << 4, toByteOffset: 64 * half + l + 32, as: UInt8.self)
                let high = (q[0] >> 4) | (q[32] >> 4) << 2 | (q[64] >> 4) << 4 | (q[96] >> 4) << 6
                destination.storeBytes(of: high, toByteOffset: 128 + 32 * half + l, as: UInt8.self)
            }
        }
    }

    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has 210 readable bytes, destination 1024 writable ones.
        let d = BlockRounding.loadHalf(source, at: 208)
        for e in 0..<256 {
            let half = e / 128, quarter = e % 128 / 32, l = e % 32
            let low = source.load(fromByteOffset: 64 * half + l + 32 * (quarter % 2), as: UInt8.self)
            let nibble = quarter < 2 ? low & 0x0F : low >> 4
            let high = source.load(fromByteOffset: 128 + 32 * half + l, as: UInt8.self) >> (2 * quarter) & 3
            let q = Int32(nibble | high << 4) - 32
            let scale = source.load(fromByteOffset: 192 + e / 16, as: Int8.self)
            destination.storeBytes(of: d * Float(scale) * Float(q), toByteOffset: e * 4, as: Float.self)
        }
    }
}
