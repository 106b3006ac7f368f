/// The scale searches that ggml's k-quant reference quantizers (`quantize_row_q*_K_ref`) run on
/// each sub-block, rewritten operation for operation in f32: every product, sum and quotient
/// happens in the order ggml's C performs it, without fused multiply-adds (ggml-base is built
/// without `-mfma` or fast-math, so its compiler cannot contract or reorder them either), so the
/// chosen levels and scales, and therefore the bytes, are the same.
///
/// Here: the shared rounding helper and Q3_K's search, one sub-block at a time (levels written to
/// `levels`, one per value of `values`); the searches of Q2_K, Q4_K, Q5_K and Q6_K run eight
/// sub-blocks at once (KQuantLaneSearch.swift).
enum KQuantSearch {
    /// ggml's `nearest_int`: the integer nearest to `value`, ties to even, for |value| < 2^22,
    /// read from the low mantissa bits after adding 1.5 * 2^23 (the same bits for any input,
    /// including the wrapped results ggml gets outside that range).
    @inline(__always)
    static func nearestInt(_ value: Float) -> Int32 {
        let shifted = value + 12_582_912
        return Int32(bitPattern: shifted.bitPattern & 0x7F_FFFF) &- 0x40_0000
    }

    /// Sub-blocks whose largest magnitude is below this are all zero (ggml's GROUP_MAX_EPS).
    static let groupMaxEpsilon: Float = 1e-15

    /// The first value of largest magnitude, with its sign, and that magnitude.
    @inline(__always)
    static func signedMaximum(_ values: UnsafePointer<Float>, count: Int) -> (value: Float, magnitude: Float) {
        var largest: Float = 0, signed: Float = 0
        for i in 0..<count where abs(values[i]) > largest {
            largest = abs(values[i])
            signed = values[i]
        }
        return (signed, largest)
    }

    /// Symmetric levels in [-maxLevel, maxLevel - 1] (stored + maxLevel), refined one value at a
    /// time for up to 5 rounds with x^2 weights: ggml's `make_q3_quants` with `do_rmse` (Q3_K).
    static func refinedSymmetricScale(
        _ values: UnsafePointer<Float>, count: Int, maxLevel: Int32, levels: UnsafeMutablePointer<Int8>
    ) -> Float {
        let (max, magnitude) = signedMaximum(values, count: count)
        guard magnitude >= groupMaxEpsilon else {
            for i in 0..<count { levels[i] = 0 }
            return 0
        }
        let clamp = { (level: Int32) in Swift.max(-maxLevel, Swift.min(maxLevel - 1, level)) }
        let inverseScale = Float(-maxLevel) / max
        var sumLX: Float = 0, sumL2: Float = 0
        for i in 0..<count {
            let level = clamp(nearestInt(inverseScale * values[i]))
            levels[i] = Int8(truncatingIfNeeded: level)
            let weight = values[i] * values[i]
            sumLX += weight * values[i] * Float(level)
            sumL2 += weight * Float(level) * Float(level)
        }
        for _ in 0..<5 {
            var changed = 0
            for i in 0..<count {
                let weight = values[i] * values[i]
                let old = Float(levels[i])
                var trialLX = sumLX - weight * values[i] * old
                guard trialLX > 0 else { continue }
                var trialL2 = sumL2 - weight * old * old
                let level = clamp(nearestInt(values[i] * trialL2 / trialLX))
                guard level != Int32(levels[i]) else { continue }
                trialLX += weight * values[i] * Float(level)
                trialL2 += weight * Float(level) * Float(level)
                if trialL2 > 0 && trialLX * trialLX * sumL2 > sumLX * sumLX * trialL2 {
                    levels[i] = Int8(truncatingIfNeeded: level)
                    sumLX = trialLX
                    sumL2 = trialL2
                    changed += 1
                }
            }
            if changed == 0 { break }
        }
        for i in 0..<count { levels[i] = Int8(truncatingIfNeeded: Int32(levels[i]) + maxLevel) }
        return sumL2 > 0 ? sumLX / sumL2 : 0
    }

    /// The search parameters of ggml's `make_qkx2_quants` calls.
    struct AffineSearch {
        let maxLevel: Int32
        let rmin: Float
        let rdelta: Float
        let steps: Int
        let absoluteError: Bool
    }
}
