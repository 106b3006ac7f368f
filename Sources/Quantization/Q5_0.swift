/// ggml's Q5_0 block: 32 values as one f16 scale and 32 five-bit levels offset by 16.
///
/// Byte layout (22 bytes): d: f16 | qh: 4 bytes, bit j = bit 4 of q[j] (little-endian u32) |
/// 16 bytes, byte j = low 4 bits of q[j] | low 4 bits of q[j + 16] << 4.  value[i] = d * (q[i] - 16).
/// Quantizing, as ggml's `quantize_row_q5_0_ref` does, all in f32: m = the first value of largest
/// magnitude, with its sign; d = m / -16, id = d == 0 ? 0 : 1 / d, q = min(31, trunc(x * id + 16.5)).
enum Q5_0Block {
    @inline(__always)
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 128 readable bytes, destination 22 writable ones.
        guard let largest = BlockRounding.largestMagnitudeBits(source) else { return false }
        let d = Q4_0Block.firstValue(source, withMagnitudeBits: largest) / -16
        BlockRounding.storeHalf(d, destination, at: 0)
        guard let inverse = BlockRounding.inverseScale(d) else {
            BlockRounding.storeZeros(destination, at: 2, count: 20)
            return true
        }
        FiveBitPacking.store(destination, at: 2) { lane in
            BlockRounding.truncatedLevel(BlockRounding.value(source, lane) * inverse + 16.5, cap: 31)
        }
        return true
    }

    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has 22 readable bytes, destination 128 writable ones.
        let d = BlockRounding.loadHalf(source, at: 0)
        for lane in 0..<32 {
            let q = Int32(FiveBitPacking.level(source, at: 2, lane: lane)) - 16
            destination.storeBytes(of: Float(q) * d, toByteOffset: lane * 4, as: Float.self)
        }
    }
}

/// ggml's Q5_1 block: 32 values as an f16 scale, an f16 minimum and 32 unsigned five-bit levels.
///
/// Byte layout (24 bytes): d: f16 | m: f16 | qh and 16 packed bytes as in Q5_0.  value[i] = d * q[i] + m.
/// Quantizing, as ggml's `quantize_row_q5_1_ref` does, all in f32: min and max of the block,
/// d = (max - min) / 31, id = d == 0 ? 0 : 1 / d, q = trunc((x - min) * id + 0.5) (no cap in ggml:
/// the value cannot pass 31.5).
enum Q5_1Block {
    @inline(__always)
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        // Bounds: source has 128 readable bytes, destination 24 writable ones.
        guard BlockRounding.largestMagnitudeBits(source) != nil else { return false }
        let (low, high) = Q4_1Block.range(source)
        let d = (high - low) / 31
        BlockRounding.storeHalf(d, destination, at: 0)
        BlockRounding.storeHalf(low, destination, at: 2)
        guard let inverse = BlockRounding.inverseScale(d) else {
            BlockRounding.storeZeros(destination, at: 4, count: 20)
            return true
        }
        FiveBitPacking.store(destination, at: 4) { lane in
            BlockRounding.truncatedLevel((BlockRounding.value(source, lane) - low) * inverse + 0.5, cap: 255)
        }
        return true
    }

    @inline(__always)
    static func dequantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        // Bounds: source has 24 readable bytes, destination 128 writable ones.
        let d = BlockRounding.loadHalf(source, at: 0)
        let m = BlockRounding.loadHalf(source, at: 2)
        for lane in 0..<32 {
            let product = d * Float(FiveBitPacking.level(source, at: 4, lane: lane))
            destination.storeBytes(of: product + m, toByteOffset: lane * 4, as: Float.self)  // two roundings, as ggml
        }
    }
}

/// The five-bit packing of Q5_0 and Q5_1: a 32-bit word of high bits, then 16 bytes of nibble pairs.
enum FiveBitPacking {
    @inline(__always)
    static func store(_ destination: UnsafeMutableRawPointer, at offset: Int, _ level: (Int) -> UInt8) {
        var high: UInt32 = 0
        for j in 0..<16 {
            let first = level(j), second = level(j + 16)
            destination.storeBytes(of: (first & 0x0F) | (second & 0x0F) << 4, toByteOffset: offset + 4 + j, as: UInt8.self)
            high |= UInt32(first >> 4 & 1) << j | UInt32(second >> 4 & 1) << (j + 16)
        }
        destination.storeBytes(of: high.littleEndian, toByteOffset: offset, as: UInt32.self)
    }

    @inline(__always)
    static func level(_ source: UnsafeRawPointer, at offset: Int, lane: Int) -> UInt8 {
        let high = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        let nibble = BlockRounding.nibble(source, at: offset + 4, lane: lane)
        return nibble | UInt8(truncatingIfNeeded: (high >> lane) & 1) << 4
    }
}
