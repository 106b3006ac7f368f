import Glibc

extension RopeScaling {
    /// The divisors llama.cpp stores as `rope_freqs.weight` for Llama 3.1 scaling: one per pair of
    /// head dimensions, by which the pair's rotation frequency theta^(-2i/head_dim) is divided.
    ///
    /// Wavelengths shorter than original_context / high_freq_factor keep their frequency (1);
    /// longer than original_context / low_freq_factor are divided by `factor`; in between the
    /// divisor moves smoothly from one to the other. Computed in Double and rounded to Float, as
    /// llama.cpp's converter computes in Python floats and stores F32.
    public func frequencyFactors(headDim: Int, theta: Double) -> [Float] {
        let original = Double(originalContextLength)
        let longestKept = original / highFrequencyFactor
        let shortestScaled = original / lowFrequencyFactor
        return stride(from: 0, to: headDim, by: 2).map { index in
            let frequency = 1 / pow(theta, Double(index) / Double(headDim))
            let wavelength = 2 * Double.pi / frequency
            if wavelength < longestKept { return 1 }
            if wavelength > shortestScaled { return Float(factor) }
            let smooth = (original / wavelength - lowFrequencyFactor) / (highFrequencyFactor - lowFrequencyFactor)
            return Float(1 / ((1 - smooth) / factor + smooth))
        }
    }

    /// The known scaling whose divisors `values` are (within float rounding), if any.
    static func matching(_ values: [Float], headDim: Int, theta: Double) -> RopeScaling? {
        // Checked first: head_dim may come from a lying header, and sizes the divisors computed.
        guard headDim > 0, (headDim + 1) / 2 == values.count else { return nil }
        return [RopeScaling.llama31, .llama32].first { scaling in
            let expected = scaling.frequencyFactors(headDim: headDim, theta: theta)
            return expected.count == values.count
                && zip(expected, values).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($0)) }
        }
    }
}
