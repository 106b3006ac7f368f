/// ggml's Q6_K super-block: 256 values in 16 sub-blocks of 16, each with a signed 8-bit scale,
/// and 6-bit levels offset by 32.
///
/// Byte layout (210 bytes): ql: 128 bytes | qh: 64 bytes | scales: 16 Int8 | d: f16. Value
/// e = 128h + 32c + l (h 0..<2, c 0..<4, l 0..<32) has its low nibble in ql[64h + l + 32(c % 2)]
/// (low half for c < 2, high half otherwise) and its top 2 bits at bit 2c of qh[32h + l].
/// value = d * scale[e / 16] * (q - 32).
/// Quantizing: ggml's `quantize_row_q6_K_ref`: per sub-block `KQuantSearch.symmetricScale` (levels
/// -32...31), the scales quantized to Int8 against the one of largest magnitude, each value's
/// level recomputed from the stored scale.
enum Q6_KBlock {
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 1024 readable bytes, destination 210 writable ones.
        KQuantBlock.withValues(source) { x in
            withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256) { buffer in
                quantize(x, levels: buffer.baseAddress!, into: destination)
            }
        }
    }

    private static func quantize(_ x: UnsafePointer<Float>, levels: UnsafeMutablePointer<Int8>, into destination: UnsafeMutableRawPointer) {
        var scales = [Float](repeating: 0, count: 16)
        var maxScale: Float = 0, maxAbsScale: Float = 0
        for block in 0..<16 {
            scales[block] = KQuantSearch.symmetricScale(x + 16 * block, count: 16, maxLevel: 32, levels: levels + 16 * block)
            if abs(scales[block]) > maxAbsScale {
                maxAbsScale = abs(scales[block])
                maxScale = scales[block]
            }
        }
        guard maxAbsScale >= KQuantSearch.groupMaxEpsilon else {
            BlockRounding.storeZeros(destination, at: 0, count: 210)
            return
        }
        let inverseScale = -128 / maxScale
        BlockRounding.storeHalf(1 / inverseScale, destination, at: 208)
        for block in 0..<16 {
            let scale = min(127, KQuantSearch.nearestInt(inverseScale * scales[block]))
            destination.storeBytes(of: Int8(truncatingIfNeeded: scale), toByteOffset: 192 + block, as: Int8.self)
        }
        let d = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 208)
        for block in 0..<16 {
            let scaled = d * Float(destination.load(fromByteOffset: 192 + block, as: Int8.self))
            guard scaled != 0 else { continue }
            for i in 0..<16 {
                let level = max(-32, min(31, KQuantSearch.nearestInt(x[16 * block + i] / scaled)))
                levels[16 * block + i] = Int8(truncatingIfNeeded: level + 32)
            }
        }
        for half in 0..<2 {
            for l in 0..<32 {
                let q = (0..<4).map { UInt8(bitPattern: levels[128 * half + 32 * $0 + l]) }
                destination.storeBytes(of: (q[0] & 0x0F) | (q[2] & 0x0F) << 4, toByteOffset: 64 * half + l, as: UInt8.self)
                destination.storeBytes(of: (q[1] & 0x0F) | (q[3] & 0x0F) << 4, toByteOffset: 64 * half + l + 32, as: UInt8.self)
                let high = (q[0] >> 4) | (q[1] >> 4) << 2 | (q[2] >> 4) << 4 | (q[3] >> 4) << 6
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
