/// ggml's `make_qkx2_quants` and `make_qx_quants` run on eight sub-blocks at once, one per lane
/// (SubBlockLanes.swift). Each lane performs exactly the scalar function's f32 operations in its
/// order; a branch of the scalar code becomes a select on the lanes where its condition holds, and
/// a lane's levels are not copied at each better trial but recomputed once at the end from the
/// inverse scale (and minimum) that trial used, which gives the same levels.
///
/// Hot path: these searches are nearly all the time of Q2_K, Q4_K, Q5_K and Q6_K quantization.
/// Measured as user time of `llama3 quantize --pure --threads 1` on a 16 MB F32 tensor (release
/// build, loaded machine, runs interleaved), against the scalar transcription they replaced (kept
/// as the test oracle, Tests/QuantizationTests/ScalarKQuantOracle.swift): Q4_K 0.37 s -> 0.075 s,
/// Q6_K 0.25 s -> 0.05 s. File-to-file figures against llama.cpp are in Docs/BENCHMARKS.md.
extension KQuantSearch {
    /// The outcome of `affineScales` per lane, and how to recompute that lane's levels.
    struct AffineLanes {
        /// The scale and the minimum (>= 0, subtracted): value ~ scale * level - minimum.
        var scale: Lanes
        var minimum: Lanes
        /// The lane's levels are clamp(nearest_int(levelInverseScale * (x - levelMin)), 0, maxLevel)
        /// (all 0 where the sub-block was constant: levelInverseScale is 0 there).
        var levelInverseScale: Lanes
        var levelMin: Lanes
    }

    /// `make_qkx2_quants` on eight sub-blocks of `count` values: `x[i]` and `weights[i]` hold
    /// element i of each (`count` vectors each); `trial` is scratch for `count` vectors.
    ///
    /// Each pass over the values rounds with `SubBlockLanes.roundedLevel` when every searched
    /// lane's inverse scale times its largest |x - min| fits the rounding trick (always, short of
    /// ranges near the f32 limits or a minimum far outside the values), else with `exactLevel`:
    /// the two give the same levels wherever the first is used, so the choice never shows in the bytes.
    @inline(__always)
    static func affineScales(
        _ x: UnsafePointer<Lanes>, weights w: UnsafePointer<Lanes>, count: Int, _ search: AffineSearch,
        trial: UnsafeMutablePointer<Lanes>
    ) -> AffineLanes {
        let zero = Lanes()
        var min = x[0], max = x[0]
        var sumW = w[0]
        var sumX = sumW * x[0]
        for i in 1..<count {
            min.replace(with: x[i], where: x[i] .< min)
            max.replace(with: x[i], where: x[i] .> max)
            sumW += w[i]
            sumX += w[i] * x[i]
        }
        let dataMin = min
        min.replace(with: 0, where: min .> zero)
        let searched = max .!= min  // ggml returns early, all levels 0, where max == min
        let nmax = search.maxLevel, top = Lanes(repeating: Float(nmax))
        // |x - min| is at most the larger of |max - min| and |dataMin - min| (rounding is monotonic).
        let fits = { (inverseScale: Lanes, min: Lanes) in
            let spread = SubBlockLanes.maximum(SubBlockLanes.magnitude(max - min), SubBlockLanes.magnitude(dataMin - min))
            return SubBlockLanes.fits(SubBlockLanes.magnitude(inverseScale) * spread, where: searched)
        }
        var inverseScale = Float(nmax) / (max - min)
        var scale = 1 / inverseScale
        var bestError = Lanes()
        if fits(inverseScale, min) {
            for i in 0..<count {
                let level = SubBlockLanes.roundedLevel(inverseScale * (x[i] - min), zero, top)
                bestError += w[i] * error(scale * level + min - x[i], search.absoluteError)
            }
        } else {
            for i in 0..<count {
                let level = SubBlockLanes.exactLevel(inverseScale * (x[i] - min), 0, nmax)
                bestError += w[i] * error(scale * level + min - x[i], search.absoluteError)
            }
        }
        var levelInverseScale = inverseScale, levelMin = min
        for step in 0...search.steps {
            inverseScale = (search.rmin + search.rdelta * Float(step) + Float(nmax)) / (max - min)
            let (sumL, sumL2, sumXL) = fits(inverseScale, min)
                ? affineSums(x, w, count: count, trial: trial) { SubBlockLanes.roundedLevel(inverseScale * ($0 - min), zero, top) }
                : affineSums(x, w, count: count, trial: trial) { SubBlockLanes.exactLevel(inverseScale * ($0 - min), 0, nmax) }
            let determinant = sumW * sumL2 - sumL * sumL
            var trialScale = (sumW * sumXL - sumX * sumL) / determinant
            var trialMin = (sumL2 * sumX - sumL * sumXL) / determinant
            let positive = trialMin .> zero
            trialMin.replace(with: 0, where: positive)
            trialScale.replace(with: sumXL / sumL2, where: positive)
            var trialError = Lanes()
            for i in 0..<count {
                trialError += w[i] * error(trialScale * trial[i] + trialMin - x[i], search.absoluteError)
            }
            let better = searched .& (determinant .> zero) .& (trialError .< bestError)
            bestError.replace(with: trialError, where: better)
            scale.replace(with: trialScale, where: better)
            levelInverseScale.replace(with: inverseScale, where: better)
            levelMin.replace(with: min, where: better)  // the minimum this trial's levels were taken against
            min.replace(with: trialMin, where: better)  // and, as in ggml, the one later trials use
        }
        scale.replace(with: 0, where: .!searched)
        levelInverseScale.replace(with: 0, where: .!searched)
        levelMin.replace(with: 0, where: .!searched)
        return AffineLanes(scale: scale, minimum: -min, levelInverseScale: levelInverseScale, levelMin: levelMin)
    }

    /// One trial of `make_qkx2_quants`: the levels (`level` of each x) to `trial`, and the sums of
    /// w * l, w * l * l and w * l * x in element order.
    @inline(__always)
    private static func affineSums(
        _ x: UnsafePointer<Lanes>, _ w: UnsafePointer<Lanes>, count: Int, trial: UnsafeMutablePointer<Lanes>,
        level: (Lanes) -> Lanes
    ) -> (Lanes, Lanes, Lanes) {
        var sumL = Lanes(), sumL2 = Lanes(), sumXL = Lanes()
        for i in 0..<count {
            let l = level(x[i])
            trial[i] = l
            let wl = w[i] * l
            sumL += wl
            sumL2 += wl * l
            sumXL += wl * x[i]
        }
        return (sumL, sumL2, sumXL)
    }

    @inline(__always)
    private static func error(_ difference: Lanes, _ absolute: Bool) -> Lanes {
        absolute ? SubBlockLanes.magnitude(difference) : difference * difference
    }

    /// The level of element `x` of an `affineScales` lane (ggml's `L[i]` when the search returns).
    @inline(__always)
    static func affineLevel(_ x: Float, inverseScale: Float, min: Float, maxLevel: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: Swift.max(0, Swift.min(maxLevel, nearestInt(inverseScale * (x - min)))))
    }

    /// The outcome of `symmetricScales` per lane.
    struct SymmetricLanes {
        var scale: Lanes
        /// Where the sub-block is not all zero, its levels are
        /// clamp(nearest_int(levelInverseScale * x), -maxLevel, maxLevel - 1) + maxLevel; all 0 elsewhere.
        var levelInverseScale: Lanes
        var nonZero: SIMDMask<SIMD8<Int32>>
    }

    /// `make_qx_quants` with `rmse_type` 1 and no importance weights (Q6_K) on eight sub-blocks of
    /// `count` values: `x[i]` holds element i of each, `xCubed[i]` = (x * x) * x and
    /// `xSquared[i]` = x * x, ggml's weight w and its product w * x (computed once, not per trial).
    @inline(__always)
    static func symmetricScales(
        _ x: UnsafePointer<Lanes>, xSquared: UnsafePointer<Lanes>, xCubed: UnsafePointer<Lanes>, count: Int, maxLevel: Int32
    ) -> SymmetricLanes {
        let zero = Lanes()
        var largest = zero, max = zero
        for i in 0..<count {
            let magnitude = SubBlockLanes.magnitude(x[i])
            let larger = magnitude .> largest
            largest.replace(with: magnitude, where: larger)
            max.replace(with: x[i], where: larger)
        }
        let nonZero = largest .>= Lanes(repeating: groupMaxEpsilon)
        let low = Lanes(repeating: Float(-maxLevel)), high = Lanes(repeating: Float(maxLevel - 1))
        // `roundedLevel` is exact on every lane that counts: where nonZero, |x| <= largest = |max|
        // and each trial's |inverseScale| is at most (maxLevel + 0.9) / largest (rounded up by
        // 2 ulp at most), so |inverseScale * x| < maxLevel + 1, far below 2^22. The other lanes'
        // results are discarded.
        let sums = { (inverseScale: Lanes) in
            symmetricSums(xSquared, xCubed, count: count) { SubBlockLanes.roundedLevel(inverseScale * x[$0], low, high) }
        }
        var inverseScale = Float(-maxLevel) / max
        var (sumLX, sumL2) = sums(inverseScale)
        var scale = (sumLX / sumL2).replacing(with: 0, where: sumL2 .== zero)
        var best = scale * sumLX
        var levelInverseScale = inverseScale
        for step in -9...9 where step != 0 {
            inverseScale = -(Float(maxLevel) + 0.1 * Float(step)) / max
            (sumLX, sumL2) = sums(inverseScale)
            let better = (sumL2 .> zero) .& (sumLX * sumLX .> best * sumL2)
            levelInverseScale.replace(with: inverseScale, where: better)
            scale.replace(with: sumLX / sumL2, where: better)
            best.replace(with: scale * sumLX, where: better)
        }
        scale.replace(with: 0, where: .!nonZero)
        return SymmetricLanes(scale: scale, levelInverseScale: levelInverseScale, nonZero: nonZero)
    }

    /// One trial of `make_qx_quants`: sum of w * x * l and of w * l * l in element order, where
    /// `level(i)` is element i's level.
    @inline(__always)
    private static func symmetricSums(
        _ xSquared: UnsafePointer<Lanes>, _ xCubed: UnsafePointer<Lanes>, count: Int, level: (Int) -> Lanes
    ) -> (Lanes, Lanes) {
        var sumLX = Lanes(), sumL2 = Lanes()
        for i in 0..<count {
            let l = level(i)
            sumLX += xCubed[i] * l
            sumL2 += xSquared[i] * l * l
        }
        return (sumLX, sumL2)
    }

    /// The stored level (0...2 maxLevel - 1) of element `x` of a `symmetricScales` lane.
    @inline(__always)
    static func symmetricLevel(_ x: Float, inverseScale: Float, maxLevel: Int32) -> Int8 {
        Int8(truncatingIfNeeded: Swift.max(-maxLevel, Swift.min(maxLevel - 1, nearestInt(inverseScale * x))) + maxLevel)
    }
}
