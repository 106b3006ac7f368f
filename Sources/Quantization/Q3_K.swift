/// ggml's Q3_K super-block: 256 values in 16 sub-blocks of 16, each with a signed 6-bit scale,
/// and 3-bit levels offset by 4.
///
/// Byte layout (110 bytes): hmask: 32 bytes, bit e / 32 of byte e % 32 = bit 2 of value e |
/// qs: 64 bytes, the low 2 bits of value e = 128h + 32s + l at bits 2s of qs[32h + l] |
/// scales: 12 bytes, scale j's low nibble in byte j (j < 8, low half) or j - 8 (high half) and
/// its top 2 bits at bits 2(j / 4) of byte 8 + j % 4, offset by 32 | d: f16.
/// value = d * (scale[e / 16] - 32) * (q - 4).
/// Quantizing: ggml's `quantize_row_q3_K_ref`: per sub-block `KQuantSearch.refinedSymmetricScale`
/// (levels -4...3), the scales to 6 bits against the one of largest magnitude, each value's
/// level recomputed from the stored scale.
enum Q3_KBlock {
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 1024 readable bytes, destination 110 writable ones.
        KQuantBlock.withValues(source) { x in
            withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256) { buffer in
                quantize(x, levels: buffer.baseAddress!, into: destination)
            }
        }
    }

    private static func quantize(_ x: UnsafePointer<Float>, levels: UnsafeMutablePointer<Int8>, into destination: UnsafeMutableRawPointer) {
        var scales = SIMD16<Float>()
        var maxScale: Float = 0, largest: Float = 0
        for j in 0..<16 {
            scales[j] = KQuantSearch.refinedSymmetricScale(x + 16 * j, count: 16, maxLevel: 4, levels: levels + 16 * j)
            if abs(scales[j]) > largest {
                largest = abs(scales[j])
                maxScale = scales[j]
            }
        }
        var packed = SIMD16<UInt8>()  // bytes 0..<12 are the block's
        if maxScale != 0 {
            let inverseScale = -32 / maxScale
            for j in 0..<16 {
                let rounded = Int8(truncatingIfNeeded: KQuantSearch.nearestInt(inverseScale * scales[j]))
                let level = UInt8(max(-32, min(31, rounded)) + 32)
                if j < 8 { packed[j] = level & 0x0F } else { packed[j - 8] |= (level & 0x0F) << 4 }
                packed[8 + j % 4] |= (level >> 4) << (2 * (j / 4))
            }
            BlockRounding.storeHalf(1 / inverseScale, destination, at: 108)
        } else {
            BlockRounding.storeHalf(0, destination, at: 108)
        }
        for index in 0..<12 { destination.storeBytes(of: packed[index], toByteOffset: 96 + index, as: UInt8.self) }
        let d = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 108)
        for j in 0..<16 {
            let scaled = d * Float(scale(j, packed))
            guard scaled != 0 else { continue }
            for i in 0..<16 {
                let level = max(-4, min(3, KQuantSearch.nearestInt(x[16 * j + i] / scaled)))
                levels[16 * j + i] = Int8(truncatingIfNeeded: level + 4)
            }
        }
        var mask = SIMD32<UInt8>()
        for e in 0..<256 where levels[e] > 3 {
            mask[e % 32] |= 1 << (e / 32)
            levels[e] -= 4
        }
        destination.storeBytes(of: mask, toByteOffset: 0, as: SIMD32<UInt8>.self)
        KQuantBlock.storeTwoBitLevels({ UInt8(bitPattern: levels[$0]) }, into: destination, at: 32)
    }

    /// Scale j (-32...31) from the 12 packed bytes.
    @inline(__always)
    static func scale(_ j: Int, _ packed: (Int) -> UInt8) -> Int32 {
        let low = j < 8 ? packed(j) & 0x0F : packed(j - 8) >> 4
        let high = (packed(8 + j % 4) >> (2 * (j / 4))) & 3
        return Int32(low | high << 4) - 32
    }

    private static func scale(_ j: Int, _ packed: SIMD16<UInt8>) -> Int32 { scale(j) { packed[$0] } }

    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has 110 readable bytes, destination 1024 writable ones.
        let d = BlockRounding.loadHalf(source, at: 108)
        for e in 0..<256 {
            let scaled = d * Float(scale(e / 16) { source.load(fromByteOffset: 96 + $0, as: UInt8.self) })
            let low = KQuantBlock.twoBitLevel(source, at: 32, element: e)
            let highSet = source.load(fromByteOffset: e % 32, as: UInt8.self) >> (e / 32) & 1 != 0
            let q = Int32(low) - (highSet ? 0 : 4)
            destination.storeBytes(of: scaled * Float(q), toByteOffset: e * 4, as: Float.self)
        }
    }
}

extension KQuantBlock {
    /// The 2-bit packing of Q2_K and Q3_K: value e = 128h + 32s + l at bits 2s of byte 32h + l.
    @inline(__always)
    static func storeTwoBitLevels(_ level: (Int) -> UInt8, into destination: UnsafeMutableRawPointer, at offset: Int) {
        for half in 0..<2 {
            for l in 0..<32 {
                let e = 128 * half + l
                let byte = level(e) | level(e + 32) << 2 | level(e + 64) << 4 | level(e + 96) << 6
                destination.storeBytes(of: byte, toByteOffset: offset + 32 * half + l, as: UInt8.self)
            }
        }
    }

    @inline(__always)
    static func twoBitLevel(_ source: UnsafeRawPointer, at offset: Int, element e: Int) -> UInt8 {
        let byte = source.load(fromByteOffset: offset + 32 * (e / 128) + e % 32, as: UInt8.self)
        return byte >> (2 * (e % 128 / 32)) & 3
    }
}
