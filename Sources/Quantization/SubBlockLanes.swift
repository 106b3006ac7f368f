#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Eight k-quant sub-blocks side by side: lane j of every vector belongs to sub-block j, so ggml's
/// per-sub-block scalar loops run on all eight at once while each lane still performs its own
/// sub-block's operations in ggml's order (no sum is split or reordered, nothing is fused).
///
/// Hot path. Only operations that Swift lowers to one vector instruction per lane group are used:
/// float and integer arithmetic, and comparisons between two vectors (a comparison with a scalar
/// operand went lane by lane, nine tenths of the time of the first version of these searches).
/// Integer <-> float conversions and `abs` go through bit patterns instead of Swift's generic
/// conversions, which go lane by lane through the stack (BlockRounding.swift says what that cost
/// Q4_0); `pointwiseMin` and `pointwiseMax` are generic too, so the minimum and maximum use SSE's
/// `minps`/`maxps` on x86-64 (baseline SSE2, nothing to detect at run time).
typealias Lanes = SIMD8<Float>

enum SubBlockLanes {
    /// |v| below this: v + 1.5 * 2^23 lies in [2^23, 2^24), where f32 spacing is 1.
    static let roundingLimit = Lanes(repeating: 0x1p22)

    /// ggml's `nearest_int` on each lane, clamped to `low...high` (ggml's `MAX(low, MIN(high, l))`),
    /// as an exact f32. Correct for every input, NaN and infinities included: the low mantissa
    /// bits of value + 1.5 * 2^23 are read as integers, as `KQuantSearch.nearestInt` does.
    @inline(__always)
    static func exactLevel(_ value: Lanes, _ low: Int32, _ high: Int32) -> Lanes {
        let shifted = value + 12_582_912
        let rounded = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) & 0x7F_FFFF) &- 0x40_0000
        let lowest = SIMD8<Int32>(repeating: low), highest = SIMD8<Int32>(repeating: high)
        let clamped = rounded.replacing(with: highest, where: rounded .> highest).replacing(with: lowest, where: rounded .< lowest)
        // |clamped| < 2^22: adding 1.5 * 2^23 to its bits makes the f32 1.5 * 2^23 + clamped, and
        // subtracting 1.5 * 2^23 again is exact.
        return unsafeBitCast(clamped &+ 0x4B40_0000, to: Lanes.self) - 12_582_912
    }

    /// `exactLevel` in four float operations, for lanes whose |value| < `roundingLimit` (callers
    /// check it with `fits`, or show it cannot fail): there value + 1.5 * 2^23 rounds to the integer nearest to value, ties to
    /// even (1.5 * 2^23 is even), and subtracting 1.5 * 2^23 is exact, so the result is
    /// `nearest_int`'s integer; clamping an integer in f32 or in Int32 gives the same value.
    @inline(__always)
    static func roundedLevel(_ value: Lanes, _ low: Lanes, _ high: Lanes) -> Lanes {
        minimum(maximum((value + 12_582_912) - 12_582_912, low), high)
    }

    /// True when every lane selected by `lanes` has |bound| < `roundingLimit` (false for NaN).
    @inline(__always)
    static func fits(_ bound: Lanes, where lanes: SIMDMask<SIMD8<Int32>>) -> Bool {
        !any(lanes .& .!(magnitude(bound) .< roundingLimit))
    }

    /// Per lane `a < b ? a : b`, SSE's `minps`.
    @inline(__always)
    static func minimum(_ a: Lanes, _ b: Lanes) -> Lanes {
        #if arch(x86_64)
        Lanes(lowHalf: _mm_min_ps(a.lowHalf, b.lowHalf), highHalf: _mm_min_ps(a.highHalf, b.highHalf))
        #else
        b.replacing(with: a, where: a .< b)
        #endif
    }

    /// Per lane `a > b ? a : b`, SSE's `maxps`.
    @inline(__always)
    static func maximum(_ a: Lanes, _ b: Lanes) -> Lanes {
        #if arch(x86_64)
        Lanes(lowHalf: _mm_max_ps(a.lowHalf, b.lowHalf), highHalf: _mm_max_ps(a.highHalf, b.highHalf))
        #else
        b.replacing(with: a, where: a .> b)
        #endif
    }

    /// `fabsf` on each lane: the sign bit cleared.
    @inline(__always)
    static func magnitude(_ values: Lanes) -> Lanes {
        unsafeBitCast(unsafeBitCast(values, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: Lanes.self)
    }

    /// `rows[i]` = element i of the eight sub-blocks of `length` values that follow one another
    /// at `values` (lane j: `values[length * j + i]`). `rows` has `length` writable vectors.
    @inline(__always)
    static func transpose(_ values: UnsafePointer<Float>, length: Int, into rows: UnsafeMutablePointer<Lanes>) {
        for i in 0..<length {
            rows[i] = Lanes(
                values[i], values[length + i], values[2 * length + i], values[3 * length + i],
                values[4 * length + i], values[5 * length + i], values[6 * length + i], values[7 * length + i])
        }
    }
}
