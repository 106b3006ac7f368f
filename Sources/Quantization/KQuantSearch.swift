/// The scale searches that ggml's k-quant reference quantizers (`quantize_row_q*_K_ref`) run on
/// each sub-block, rewritten operation for operation in f32: every product, sum and quotient
/// happens in the order ggml's C performs it, without fused multiply-adds (ggml-base is built
/// without `-mfma` or fast-math, so its compiler cannot contract or reorder them either), so the
/// chosen levels and scales, and therefore the bytes, are the same.
///
/// Levels are written to `levels` (one per value); `values` are the sub-block's f32 inputs.
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

    /// Symmetric levels in [-maxLevel, maxLevel - 1] (stored + maxLevel) with x^2 weights, trying
    /// 18 scales around maxLevel / max: ggml's `make_qx_quants` with `rmse_type` 1 and no weights
    /// (Q6_K). Returns the scale.
    static func symmetricScale(
        _ values: UnsafePointer<Float>, count: Int, maxLevel: Int32, levels: UnsafeMutablePointer<Int8>
    ) -> Float {
        let (max, magnitude) = signedMaximum(values, count: count)
        guard magnitude >= groupMaxEpsilon else {
            for i in 0..<count { levels[i] = 0 }
            return 0
        }
        let clamp = { (level: Int32) in Swift.max(-maxLevel, Swift.min(maxLevel - 1, level)) }
        var inverseScale = Float(-maxLevel) / max
        var sumLX: Float = 0, sumL2: Float = 0
        for i in 0..<count {
            let level = clamp(nearestInt(inverseScale * values[i]))
            levels[i] = Int8(truncatingIfNeeded: level + maxLevel)
            let weight = values[i] * values[i]
            sumLX += weight * values[i] * Float(level)
            sumL2 += weight * Float(level) * Float(level)
        }
        var scale: Float = sumL2 != 0 ? sumLX / sumL2 : 0
        var best = scale * sumLX
        for step in -9...9 where step != 0 {
            inverseScale = -(Float(maxLevel) + 0.1 * Float(step)) / max
            sumLX = 0
            sumL2 = 0
            for i in 0..<count {
                let level = clamp(nearestInt(inverseScale * values[i]))
                let weight = values[i] * values[i]
                sumLX += weight * values[i] * Float(level)
                sumL2 += weight * Float(level) * Float(level)
            }
            if sumL2 > 0 && sumLX * sumLX > best * sumL2 {
                for i in 0..<count {
                    levels[i] = Int8(truncatingIfNeeded: clamp(nearestInt(inverseScale * values[i])) + maxLevel)
                }
                scale = sumLX / sumL2
                best = scale * sumLX
            }
        }
        return scale
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

    /// Levels in [0, maxLevel] with a scale and a minimum (value ~ scale * level - minimum), the
    /// best of `steps + 1` scale trials by weighted squared (or absolute) error: ggml's
    /// `make_qkx2_quants` (Q2_K, Q4_K, Q5_K). Returns the scale and the minimum (>= 0, subtracted).
    static func affineScale(
        _ values: UnsafePointer<Float>, weights: UnsafePointer<Float>, count: Int, _ search: AffineSearch,
        levels: UnsafeMutablePointer<UInt8>, trial: UnsafeMutablePointer<UInt8>
    ) -> (scale: Float, minimum: Float) {
        var min = values[0], max = values[0]
        var sumW = weights[0]
        var sumX = sumW * values[0]
        for i in 1..<count {
            if values[i] < min { min = values[i] }
            if values[i] > max { max = values[i] }
            sumW += weights[i]
            sumX += weights[i] * values[i]
        }
        if min > 0 { min = 0 }
        if max == min {
            for i in 0..<count { levels[i] = 0 }
            return (0, -min)
        }
        let nmax = search.maxLevel
        let error = { (difference: Float) in search.absoluteError ? abs(difference) : difference * difference }
        var inverseScale = Float(nmax) / (max - min)
        var scale = 1 / inverseScale
        var bestError: Float = 0
        for i in 0..<count {
            let level = Swift.max(0, Swift.min(nmax, nearestInt(inverseScale * (values[i] - min))))
            levels[i] = UInt8(truncatingIfNeeded: level)
            bestError += weights[i] * error(scale * Float(level) + min - values[i])
        }
        for step in 0...search.steps {
            inverseScale = (search.rmin + search.rdelta * Float(step) + Float(nmax)) / (max - min)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<count {
                let level = Swift.max(0, Swift.min(nmax, nearestInt(inverseScale * (values[i] - min))))
                trial[i] = UInt8(truncatingIfNeeded: level)
                let l = Float(level)
                sumL += weights[i] * l
                sumL2 += weights[i] * l * l
                sumXL += weights[i] * l * values[i]
            }
            let determinant = sumW * sumL2 - sumL * sumL
            guard determinant > 0 else { continue }
            var trialScale = (sumW * sumXL - sumX * sumL) / determinant
            var trialMin = (sumL2 * sumX - sumL * sumXL) / determinant
            if trialMin > 0 {
                trialMin = 0
                trialScale = sumXL / sumL2
            }
            var trialError: Float = 0
            for i in 0..<count {
                trialError += weights[i] * error(trialScale * Float(trial[i]) + trialMin - values[i])
            }
            if trialError < bestError {
                for i in 0..<count { levels[i] = trial[i] }
                bestError = trialError
                scale = trialScale
                min = trialMin
            }
        }
        return (scale, -min)
    }
}
