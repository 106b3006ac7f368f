/// Float -> small integer steps shared by the block quantizers, one value at a time in loops of
/// 32 that LLVM unrolls and vectorizes (SSE2 on the x86-64 baseline).
///
/// Hot path. Swift's `Int32(Float)` traps on out-of-range values and `rounded(_:)` is a libm call
/// per value without SSE4.1's `roundps`; both keep the loops scalar. Adding 1.5 * 2^23 instead
/// rounds to the nearest integer, ties to even, with one add, and leaves that integer in the low
/// bits of the sum's bit pattern; the exact difference to the input then corrects ties and
/// truncation: only adds, compares and selects, which vectorize. Measured in a release build on
/// 64 MB of f32 values in memory, one thread: Q8_0 2340 MB/s, Q4_0 2110 MB/s, against 40 MB/s for
/// the same kernels written with SIMD32 vector types (lowered lane by lane through the stack) and
/// ggml's reference kernel's 1440 / 3290 MB/s; file-to-file figures are in Docs/BENCHMARKS.md.
enum BlockRounding {
    /// 1.5 * 2^23: for |v| < 2^22, v + magic lies in [2^23, 2^24), where f32 spacing is 1, and its
    /// bit pattern is 0x4B40_0000 + round(v) (two's complement in the low 22 bits).
    static let magic: Float = 0x1.8p23

    /// The low byte of `value` rounded half away from zero (C's roundf), for |value| < 2^22.
    @inline(__always)
    static func roundedHalfAwayLowByte(_ value: Float) -> UInt8 {
        let shifted = value + magic
        let nearestEven = shifted - magic  // exact
        let difference = value - nearestEven  // exact: within a factor of two of each other, or nearestEven is 0
        var bits = shifted.bitPattern
        // A tie rounded toward zero must go away from zero instead: +x.5 went down, -x.5 went up.
        if difference == 0.5 && value > 0 { bits &+= 1 }
        if difference == -0.5 && value < 0 { bits &-= 1 }
        return UInt8(truncatingIfNeeded: bits)
    }

    /// `value` truncated toward zero and capped at 15, for value in [0, 2^22): the nibble step of
    /// Q4_0 and Q4_1 (C's `MIN(15, (int8_t)v)` on non-negative v).
    @inline(__always)
    static func truncatedNibble(_ value: Float) -> UInt8 {
        let shifted = value + magic
        let nearestEven = shifted - magic
        let bits = shifted.bitPattern &- (nearestEven > value ? 1 : 0)  // rounded up: step back
        let integer = bits & 0xFF  // non-negative and small: the low byte is the integer
        return UInt8(truncatingIfNeeded: min(integer, 15))
    }

    /// `value` truncated toward zero, its low byte capped at `cap`, for value in [0, 256): the level
    /// step of Q5_0 (`MIN(31, (int8_t)v)`) and Q5_1 (`(uint8_t)v`, cap 255).
    @inline(__always)
    static func truncatedLevel(_ value: Float, cap: UInt32) -> UInt8 {
        let shifted = value + magic
        let nearestEven = shifted - magic
        let bits = shifted.bitPattern &- (nearestEven > value ? 1 : 0)
        return UInt8(truncatingIfNeeded: min(bits & 0xFF, cap))
    }

    /// ggml's inverse scale `id = d ? 1/d : 0`; nil when d is subnormal and 1 / d overflows. Every
    /// product with it would then be infinite or NaN, which ggml and numpy turn into 0 on x86: the
    /// quantizers write those zero quants themselves rather than leave them to undefined conversions.
    @inline(__always)
    static func inverseScale(_ d: Float) -> Float? {
        let inverse: Float = d == 0 ? 0 : 1 / d
        return inverse.isFinite ? inverse : nil
    }

    /// Largest |value| of the 32 floats at `source`, as f32 bits, computed on integers (for
    /// non-negative floats the integer order is the float order); nil when one is NaN or infinite.
    @inline(__always)
    static func largestMagnitudeBits(_ source: UnsafeRawPointer) -> UInt32? {
        var largest: UInt32 = 0
        for lane in 0..<32 {
            largest = max(largest, source.loadUnaligned(fromByteOffset: lane * 4, as: UInt32.self) & 0x7FFF_FFFF)
        }
        return largest < 0x7F80_0000 ? largest : nil
    }

    @inline(__always)
    static func value(_ source: UnsafeRawPointer, _ lane: Int) -> Float {
        source.loadUnaligned(fromByteOffset: lane * 4, as: Float.self)
    }

    @inline(__always)
    static func storeHalf(_ value: Float, _ destination: UnsafeMutableRawPointer, at offset: Int) {
        destination.storeBytes(of: HalfFloat.bits(from: value).littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    @inline(__always)
    static func loadHalf(_ source: UnsafeRawPointer, at offset: Int) -> Float {
        HalfFloat.float(fromBits: UInt16(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    /// Q4 packing: byte j holds q[j] in its low nibble and q[j + 16] in its high nibble.
    @inline(__always)
    static func storeNibbles(
        _ destination: UnsafeMutableRawPointer, at offset: Int, _ nibble: (Int) -> UInt8
    ) {
        for j in 0..<16 {
            destination.storeBytes(of: nibble(j) | nibble(j + 16) << 4, toByteOffset: offset + j, as: UInt8.self)
        }
    }

    @inline(__always)
    static func storeZeros(_ destination: UnsafeMutableRawPointer, at offset: Int, count: Int) {
        for j in 0..<count { destination.storeBytes(of: 0, toByteOffset: offset + j, as: UInt8.self) }
    }

    /// The nibble of value `lane` (0..<32) in a Q4 block's 16 packed bytes at `source + offset`.
    @inline(__always)
    static func nibble(_ source: UnsafeRawPointer, at offset: Int, lane: Int) -> UInt8 {
        let byte = source.load(fromByteOffset: offset + lane % 16, as: UInt8.self)
        return lane < 16 ? byte & 0x0F : byte >> 4
    }

    /// The 32 nibbles of a Q4 block's 16 packed bytes at `source + offset` as f32 values 0...15
    /// at `destination` (128 writable bytes): q[j] (low nibble of byte j), then q[j + 16] (high).
    ///
    /// Hot path: the reference model decodes every weight row it multiplies. Four bytes at a time
    /// on SIMD4 lanes: lane k keeps byte k's nibble in place (the word masked by 0xF << 8k; the
    /// last lane takes the word shifted right by 8, so every lane stays below 2^20), the lanes are
    /// made floats by OR-ing in the exponent of 2^23 and subtracting 2^23 (exact below 2^23; SSE2
    /// has no per-lane integer shift and Swift's generic SIMD conversions went lane by lane), and
    /// scaled back by 2^-8k (exact: four significant bits). Measured as user time of `llama3
    /// generate` on a 135M-parameter Q4_1 model (4-token prompt, 16 tokens, one thread, release
    /// build, loaded machine), each pair of versions in interleaved runs: a 32-lane loop choosing
    /// the nibble per lane (scalar) 4.9 s against 2.1 s for SIMD4 lanes converted with
    /// SIMD4<Float>(SIMD4<Int32>); then, at a higher load, that conversion (which went lane by
    /// lane) 3.6 s against 2.2 s for this. The logits are bit-identical across all three.
    @inline(__always)
    static func nibbleValues(_ source: UnsafeRawPointer, at offset: Int, to destination: UnsafeMutableRawPointer) {
        let masks = SIMD4<UInt32>(0xF, 0xF00, 0xF_0000, 0xF_0000)
        let scales = SIMD4<Float>(1, 0x1p-8, 0x1p-16, 0x1p-16)
        let exponent = SIMD4<UInt32>(repeating: 0x4B00_0000)  // the bits of 2^23
        let bias = SIMD4<Float>(repeating: 0x1p23)
        for group in 0..<4 {
            let word = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: offset + 4 * group, as: UInt32.self))
            let high = word >> 4
            let lowLanes = SIMD4<UInt32>(word, word, word, word >> 8) & masks | exponent
            let highLanes = SIMD4<UInt32>(high, high, high, high >> 8) & masks | exponent
            let low = (unsafeBitCast(lowLanes, to: SIMD4<Float>.self) - bias) * scales
            let upper = (unsafeBitCast(highLanes, to: SIMD4<Float>.self) - bias) * scales
            destination.storeBytes(of: low, toByteOffset: 16 * group, as: SIMD4<Float>.self)
            destination.storeBytes(of: upper, toByteOffset: 64 + 16 * group, as: SIMD4<Float>.self)
        }
    }
}
