/// ggml's Q4_K super-block: 256 values in 8 sub-blocks of 32, each with a 6-bit scale and a
/// 6-bit minimum, and 4-bit levels.
///
/// Byte layout (144 bytes): d: f16 | dmin: f16 | 12 bytes of scales and minimums
/// (`KQuantBlock.packScalesAndMins`) | 128 bytes: for each 64 values, 32 bytes whose low nibbles
/// are values 0-31 and high nibbles values 32-63.  value = d * scale_j * q - dmin * min_j.
/// Quantizing: ggml's `quantize_row_q4_K_ref` (`KQuantBlock.quantizeAffine` with levels 0...15,
/// 21 trial scales from -1 in steps of 0.1, squared error).
enum Q4_KBlock {
    static let search = KQuantSearch.AffineSearch(maxLevel: 15, rmin: -1, rdelta: 0.1, steps: 20, absoluteError: false)

    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 1024 readable bytes, destination 144 writable ones.
        KQuantBlock.withValues(source) { x in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer in
                let levels = buffer.baseAddress!
                KQuantBlock.quantizeAffine(x, search: search, levels: levels, into: destination)
                for chunk in 0..<4 {
                    for l in 0..<32 {
                        let byte = levels[64 * chunk + l] | levels[64 * chunk + l + 32] << 4
                        destination.storeBytes(of: byte, toByteOffset: 16 + 32 * chunk + l, as: UInt8.self)
                    }
                }
            }
        }
    }

    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has 144 readable bytes, destination 1024 writable ones.
        let d = BlockRounding.loadHalf(source, at: 0)
        let dmin = BlockRounding.loadHalf(source, at: 2)
        for j in 0..<8 {
            let (scale, minimum) = KQuantBlock.scaleAndMin(j, source, at: 4)
            let dj = d * Float(scale), mj = dmin * Float(minimum)
            for l in 0..<32 {
                let byte = source.load(fromByteOffset: 16 + 32 * (j / 2) + l, as: UInt8.self)
                let q = j % 2 == 0 ? byte & 0x0F : byte >> 4
                destination.storeBytes(of: dj * Float(q) - mj, toByteOffset: (32 * j + l) * 4, as: Float.self)
            }
        }
    }
}

/// ggml's Q5_K super-block: as Q4_K with 5-bit levels.
///
/// Byte layout (176 bytes): d: f16 | dmin: f16 | 12 bytes of scales and minimums | qh: 32 bytes,
/// bit 2c of byte l = bit 4 of value 64c + l, bit 2c + 1 = bit 4 of value 64c + 32 + l | 128 bytes
/// of low nibbles as in Q4_K.  value = d * scale_j * q - dmin * min_j.
/// Quantizing: ggml's `quantize_row_q5_K_ref` (levels 0...31, 16 trial scales from -0.5 in
/// steps of 0.1, squared error).
enum Q5_KBlock {
    static let search = KQuantSearch.AffineSearch(maxLevel: 31, rmin: -0.5, rdelta: 0.1, steps: 15, absoluteError: false)

    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 1024 readable bytes, destination 176 writable ones.
        KQuantBlock.withValues(source) { x in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer in
                let levels = buffer.baseAddress!
                KQuantBlock.quantizeAffine(x, search: search, levels: levels, into: destination)
                for l in 0..<32 {
                    var high: UInt8 = 0
                    for chunk in 0..<4 {
                        let first = levels[64 * chunk + l], second = levels[64 * chunk + l + 32]
                        high |= (first >> 4) << (2 * chunk) | (second >> 4) << (2 * chunk + 1)
                        let byte = (first & 0x0F) | (second & 0x0F) << 4
                        destination.storeBytes(of: byte, toByteOffset: 48 + 32 * chunk + l, as: UInt8.self)
                    }
                    destination.storeBytes(of: high, toByteOffset: 16 + l, as: UInt8.self)
                }
            }
        }
    }

    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has 176 readable bytes, destination 1024 writable ones.
        let d = BlockRounding.loadHalf(source, at: 0)
        let dmin = BlockRounding.loadHalf(source, at: 2)
        for j in 0..<8 {
            let (scale, minimum) = KQuantBlock.scaleAndMin(j, source, at: 4)
            let dj = d * Float(scale), mj = dmin * Float(minimum)
            for l in 0..<32 {
                let byte = source.load(fromByteOffset: 48 + 32 * (j / 2) + l, as: UInt8.self)
                let highBit = source.load(fromByteOffset: 16 + l, as: UInt8.self) >> j & 1
                let q = (j % 2 == 0 ? byte & 0x0F : byte >> 4) | highBit << 4
                destination.storeBytes(of: dj * Float(q) - mj, toByteOffset: (32 * j + l) * 4, as: Float.self)
            }
        }
    }
}
