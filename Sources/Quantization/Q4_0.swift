#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// ggml's Q4_0 block: 32 values as one f16 scale and 32 unsigned nibbles offset by 8.
///
/// Byte layout (18 bytes): d: f16 | 16 bytes, byte j = q[j] | q[j + 16] << 4.  value[i] = d * (q[i] - 8).
/// Quantizing, as ggml's `quantize_row_q4_0_ref` (and gguf-py) do, all in f32: m = the first value
/// of largest magnitude, with its sign; d = m / -8, id = d == 0 ? 0 : 1 / d,
/// q = min(15, trunc(x * id + 8.5)).
enum Q4_0Block {
    @inline(__always)
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        quantize(source, to: destination, portable: false)
    }

    /// `portable` takes the plain Swift loops even where SSE2 versions exist (the tests check
    /// that both write the same bytes).
    @inline(__always)
    static func quantize(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, portable: Bool) -> Bool {
        // Bounds: source has 128 readable bytes, destination 18 writable ones.
        guard let largest = BlockRounding.largestMagnitudeBits(source) else { return false }
        let m = firstValue(source, withMagnitudeBits: largest, portable: portable)
        let d = m / -8
        BlockRounding.storeHalf(d, destination, at: 0)
        guard let inverse = BlockRounding.inverseScale(d) else {
            BlockRounding.storeZeros(destination, at: 2, count: 16)
            return true
        }
        #if arch(x86_64)
        if !portable {
            storeNibblesSSE2(source, inverse: inverse, destination)
            return true
        }
        #endif
        storeNibbles(source, inverse: inverse, destination)
        return true
    }

    /// The 16 nibble bytes for scale 1 / `inverse`, in plain 32-lane loops that LLVM vectorizes
    /// (BlockRounding says what they avoid and how they measured); `storeNibblesSSE2` writes the
    /// same bytes faster on x86-64.
    @inline(__always)
    static func storeNibbles(_ source: UnsafeRawPointer, inverse: Float, _ destination: UnsafeMutableRawPointer) {
        BlockRounding.storeNibbles(destination, at: 2) { lane in
            BlockRounding.truncatedNibble(BlockRounding.value(source, lane) * inverse + 8.5)
        }
    }

    #if arch(x86_64)
    /// `storeNibbles` on SSE2 (x86-64's baseline, nothing to detect at run time): `cvttps2dq`
    /// truncates toward zero as C's conversion does, and x * id + 8.5 lies in [0, 17) (|x| <= |m|
    /// and id = -8 / m up to a few rounding errors), so min(15, q) is q minus one where q = 16.
    /// The bytes are packed with `packssdw`/`packuswb` and stored at once, where the plain loops
    /// went through a check that source and destination do not overlap and a store per byte.
    /// Q4_0 quantization (with `firstValueSSE2`), one thread, 64 MB of f32 in memory, release
    /// build, CPU time of interleaved runs on a loaded machine: ~2710 MB/s with the plain loops,
    /// ~4630 MB/s with these; BENCHMARKS.md has the file-to-file figures.
    @inline(__always)
    static func storeNibblesSSE2(_ source: UnsafeRawPointer, inverse: Float, _ destination: UnsafeMutableRawPointer) {
        // Bounds: source has 128 readable bytes, destination 18 writable ones.
        let scale = SIMD4<Float>(repeating: inverse)
        let fifteen = _mm_set1_epi32(15)
        func nibbles(_ offset: Int) -> __m128i {
            let scaled = source.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * scale + 8.5
            let truncated = _mm_cvttps_epi32(scaled)
            return _mm_add_epi32(truncated, _mm_cmpgt_epi32(truncated, fifteen))  // 16 -> 15
        }
        func bytes(_ group: Int) -> __m128i {  // bytes 4 group ..< 4 group + 4, as Int32 lanes
            _mm_or_si128(nibbles(16 * group), _mm_slli_epi32(nibbles(64 + 16 * group), 4))
        }
        let packed = _mm_packus_epi16(_mm_packs_epi32(bytes(0), bytes(1)), _mm_packs_epi32(bytes(2), bytes(3)))
        destination.storeBytes(of: packed, toByteOffset: 2, as: __m128i.self)
    }
    #endif

    /// The first value whose |value| has these bits: ggml keeps the first of equal magnitudes
    /// (a strict `<` scan), so in a tie between 3 and -3 the earlier one sets the sign of d.
    /// Hot path. Written on SIMD4 columns (the first match per column, then a 4-way minimum)
    /// because LLVM kept every scalar form of this search scalar: an early-exit scan, and a
    /// minimum over lane numbers. Q4_0 quantization, one thread, 64 MB of f32 in memory, release
    /// build, runs interleaved on the same machine: ~1950 MB/s with the lane-number minimum,
    /// ~2400 MB/s with this (the early-exit scan was slower still, ~1765 MB/s). On x86-64 a bit
    /// mask of the matching lanes (`movmskps`) and its lowest set bit take half the instructions.
    @inline(__always)
    static func firstValue(_ source: UnsafeRawPointer, withMagnitudeBits largest: UInt32, portable: Bool = false) -> Float {
        #if arch(x86_64)
        if !portable { return firstValueSSE2(source, withMagnitudeBits: largest) }
        #endif
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

    #if arch(x86_64)
    @inline(__always)
    static func firstValueSSE2(_ source: UnsafeRawPointer, withMagnitudeBits largest: UInt32) -> Float {
        // Bounds: source has 128 readable bytes (8 groups of 4 values).
        let target = _mm_set1_epi32(Int32(bitPattern: largest)), signMask = _mm_set1_epi32(0x7FFF_FFFF)
        var matches: UInt32 = 0  // bit i: value i has the largest magnitude
        for group in 0..<8 {
            let magnitudes = _mm_and_si128(source.loadUnaligned(fromByteOffset: group * 16, as: __m128i.self), signMask)
            let lanes = UInt32(truncatingIfNeeded: _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(magnitudes, target))))
            matches |= lanes << (4 * group)
        }
        return BlockRounding.value(source, matches.trailingZeroBitCount & 31)  // `largest` is one of the values: a bit is set
    }
    #endif

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
