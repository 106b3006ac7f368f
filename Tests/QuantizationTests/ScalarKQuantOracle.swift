@testable import Quantization

/// The k-quant kernels as they were first written: one sub-block at a time, each loop a line of
/// ggml's scalar `quantize_row_q*_K_ref`, `make_qkx2_quants` and `make_qx_quants`, checked
/// against llama.cpp's fixtures (KQuantGoldenTests). The library's kernels search eight
/// sub-blocks at once on SIMD lanes; this oracle is what they are cross-checked against on
/// random and extreme inputs (KQuantOracleTests), where no llama.cpp is needed.
enum ScalarKQuantOracle {
    /// One super-block (256 finite values) in `format` (Q2_K, Q4_K, Q5_K or Q6_K).
    static func quantize(_ x: [Float], as format: ElementFormat) -> [UInt8] {
        precondition(x.count == 256)
        var block = [UInt8](repeating: 0, count: format.bytesPerBlock)
        x.withUnsafeBufferPointer { values in
            block.withUnsafeMutableBytes { destination in
                let x = values.baseAddress!, out = destination.baseAddress!
                var levels = [UInt8](repeating: 0, count: 256)
                switch format {
                case .q2_K: q2_K(x, levels: &levels, into: out)
                case .q4_K:
                    affine(x, search: Q4_KBlock.search, levels: &levels, into: out)
                    for chunk in 0..<4 {
                        for l in 0..<32 {
                            out.storeBytes(of: levels[64 * chunk + l] | levels[64 * chunk + l + 32] << 4, toByteOffset: 16 + 32 * chunk + l, as: UInt8.self)
                        }
                    }
                case .q5_K:
                    affine(x, search: Q5_KBlock.search, levels: &levels, into: out)
                    var high = [UInt8](repeating: 0, count: 32)
                    for chunk in 0..<4 {
                        for l in 0..<32 {
                            let first = levels[64 * chunk + l], second = levels[64 * chunk + l + 32]
                            high[l] |= (first >> 4) << (2 * chunk) | (second >> 4) << (2 * chunk + 1)
                            out.storeBytes(of: (first & 0x0F) | (second & 0x0F) << 4, toByteOffset: 48 + 32 * chunk + l, as: UInt8.self)
                        }
                    }
                    for l in 0..<32 { out.storeBytes(of: high[l], toByteOffset: 16 + l, as: UInt8.self) }
                case .q6_K: q6_K(x, into: out)
                default: preconditionFailure("no oracle for \(format)")
                }
            }
        }
        return block
    }

    // MARK: ggml's make_qx_quants (rmse_type 1, no weights) and make_qkx2_quants

    static func symmetricScale(_ values: UnsafePointer<Float>, count: Int, maxLevel: Int32, levels: UnsafeMutablePointer<Int8>) -> Float {
        var magnitude: Float = 0, max: Float = 0
        for i in 0..<count where abs(values[i]) > magnitude {
            magnitude = abs(values[i])
            max = values[i]
        }
        guard magnitude >= KQuantSearch.groupMaxEpsilon else {
            for i in 0..<count { levels[i] = 0 }
            return 0
        }
        let clamp = { (level: Int32) in Swift.max(-maxLevel, Swift.min(maxLevel - 1, level)) }
        var inverseScale = Float(-maxLevel) / max
        var sumLX: Float = 0, sumL2: Float = 0
        for i in 0..<count {
            let level = clamp(KQuantSearch.nearestInt(inverseScale * values[i]))
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
                let level = clamp(KQuantSearch.nearestInt(inverseScale * values[i]))
                let weight = values[i] * values[i]
                sumLX += weight * values[i] * Float(level)
                sumL2 += weight * Float(level) * Float(level)
            }
            if sumL2 > 0 && sumLX * sumLX > best * sumL2 {
                for i in 0..<count {
                    levels[i] = Int8(truncatingIfNeeded: clamp(KQuantSearch.nearestInt(inverseScale * values[i])) + maxLevel)
                }
                scale = sumLX / sumL2
                best = scale * sumLX
            }
        }
        return scale
    }

    static func affineScale(
        _ values: UnsafePointer<Float>, weights: UnsafePointer<Float>, count: Int, _ search: KQuantSearch.AffineSearch,
        levels: UnsafeMutablePointer<UInt8>
    ) -> (scale: Float, minimum: Float) {
        var trial = [UInt8](repeating: 0, count: count)
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
            let level = Swift.max(0, Swift.min(nmax, KQuantSearch.nearestInt(inverseScale * (values[i] - min))))
            levels[i] = UInt8(truncatingIfNeeded: level)
            bestError += weights[i] * error(scale * Float(level) + min - values[i])
        }
        for step in 0...search.steps {
            inverseScale = (search.rmin + search.rdelta * Float(step) + Float(nmax)) / (max - min)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<count {
                let level = Swift.max(0, Swift.min(nmax, KQuantSearch.nearestInt(inverseScale * (values[i] - min))))
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

    // MARK: the super-block kernels (quantize_row_q*_K_ref)

    static func affine(_ x: UnsafePointer<Float>, search: KQuantSearch.AffineSearch, levels: inout [UInt8], into destination: UnsafeMutableRawPointer) {
        var scales = [Float](repeating: 0, count: 8), mins = [Float](repeating: 0, count: 8)
        var maxScale: Float = 0, maxMin: Float = 0
        var weights = [Float](repeating: 0, count: 32)
        levels.withUnsafeMutableBufferPointer { levels in
            for j in 0..<8 {
                let values = x + 32 * j
                var sumX2: Float = 0
                for l in 0..<32 { sumX2 += values[l] * values[l] }
                let average = (sumX2 / 32).squareRoot()
                for l in 0..<32 { weights[l] = average + abs(values[l]) }
                (scales[j], mins[j]) = affineScale(values, weights: weights, count: 32, search, levels: levels.baseAddress! + 32 * j)
                if scales[j] > maxScale { maxScale = scales[j] }
                if mins[j] > maxMin { maxMin = mins[j] }
            }
        }
        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        var scaleLevels = [UInt8](repeating: 0, count: 8), minLevels = [UInt8](repeating: 0, count: 8)
        for j in 0..<8 {
            scaleLevels[j] = min(63, UInt8(truncatingIfNeeded: KQuantSearch.nearestInt(inverseScale * scales[j])))
            minLevels[j] = min(63, UInt8(truncatingIfNeeded: KQuantSearch.nearestInt(inverseMin * mins[j])))
        }
        var packed = [UInt8](repeating: 0, count: 12)
        for j in 0..<4 {
            packed[j] = scaleLevels[j]
            packed[j + 4] = minLevels[j]
        }
        for j in 4..<8 {
            packed[j + 4] = (scaleLevels[j] & 0x0F) | (minLevels[j] & 0x0F) << 4
            packed[j - 4] |= (scaleLevels[j] >> 4) << 6
            packed[j] |= (minLevels[j] >> 4) << 6
        }
        for (index, byte) in packed.enumerated() { destination.storeBytes(of: byte, toByteOffset: 4 + index, as: UInt8.self) }
        BlockRounding.storeHalf(maxScale / 63, destination, at: 0)
        BlockRounding.storeHalf(maxMin / 63, destination, at: 2)
        for j in 0..<8 {
            let d = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 0) * Float(scaleLevels[j])
            guard d != 0 else { continue }
            let dm = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 2) * Float(minLevels[j])
            for i in 0..<32 {
                let level = KQuantSearch.nearestInt((x[32 * j + i] + dm) / d)
                levels[32 * j + i] = UInt8(truncatingIfNeeded: max(0, min(search.maxLevel, level)))
            }
        }
    }

    static func q2_K(_ x: UnsafePointer<Float>, levels: inout [UInt8], into destination: UnsafeMutableRawPointer) {
        var scales = [Float](repeating: 0, count: 16), mins = [Float](repeating: 0, count: 16)
        var maxScale: Float = 0, maxMin: Float = 0
        var weights = [Float](repeating: 0, count: 16)
        levels.withUnsafeMutableBufferPointer { levels in
            for j in 0..<16 {
                for l in 0..<16 { weights[l] = abs(x[16 * j + l]) }
                (scales[j], mins[j]) = affineScale(x + 16 * j, weights: weights, count: 16, Q2_KBlock.search, levels: levels.baseAddress! + 16 * j)
                if scales[j] > maxScale { maxScale = scales[j] }
                if mins[j] > maxMin { maxMin = mins[j] }
            }
        }
        var packed = [UInt8](repeating: 0, count: 16)
        if maxScale > 0 {
            let inverse = 15 / maxScale
            for j in 0..<16 { packed[j] = UInt8(truncatingIfNeeded: KQuantSearch.nearestInt(inverse * scales[j])) }
            BlockRounding.storeHalf(maxScale / 15, destination, at: 80)
        } else {
            BlockRounding.storeHalf(0, destination, at: 80)
        }
        if maxMin > 0 {
            let inverse = 15 / maxMin
            for j in 0..<16 { packed[j] |= UInt8(truncatingIfNeeded: KQuantSearch.nearestInt(inverse * mins[j]) << 4) }
            BlockRounding.storeHalf(maxMin / 15, destination, at: 82)
        } else {
            BlockRounding.storeHalf(0, destination, at: 82)
        }
        for (index, byte) in packed.enumerated() { destination.storeBytes(of: byte, toByteOffset: index, as: UInt8.self) }
        let d = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 80)
        let dmin = BlockRounding.loadHalf(UnsafeRawPointer(destination), at: 82)
        for j in 0..<16 {
            let scaled = d * Float(packed[j] & 0x0F)
            guard scaled != 0 else { continue }
            let minimum = dmin * Float(packed[j] >> 4)
            for i in 0..<16 {
                levels[16 * j + i] = UInt8(truncatingIfNeeded: max(0, min(3, KQuantSearch.nearestInt((x[16 * j + i] + minimum) / scaled))))
            }
        }
        for half in 0..<2 {
            for l in 0..<32 {
                let e = 128 * half + l
                let byte = levels[e] | levels[e + 32] << 2 | levels[e + 64] << 4 | levels[e + 96] << 6
                destination.storeBytes(of: byte, toByteOffset: 16 + 32 * half + l, as: UInt8.self)
            }
        }
    }

    static func q6_K(_ x: UnsafePointer<Float>, into destination: UnsafeMutableRawPointer) {
        var levels = [Int8](repeating: 0, count: 256)
        var scales = [Float](repeating: 0, count: 16)
        var maxScale: Float = 0, maxAbsScale: Float = 0
        levels.withUnsafeMutableBufferPointer { levels in
            for block in 0..<16 {
                scales[block] = symmetricScale(x + 16 * block, count: 16, maxLevel: 32, levels: levels.baseAddress! + 16 * block)
                if abs(scales[block]) > maxAbsScale {
                    maxAbsScale = abs(scales[block])
                    maxScale = scales[block]
                }
            }
        }
        guard maxAbsScale >= KQuantSearch.groupMaxEpsilon else {
            for offset in 0..<210 { destination.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self) }
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
                levels[16 * block + i] = Int8(truncatingIfNeeded: max(-32, min(31, KQuantSearch.nearestInt(x[16 * block + i] / scaled))) + 32)
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
}
