extension ElementFormat {
    /// Decodes the elements stored in `bytes` into `values` as f32: the entry for kernels that
    /// consume a tensor a few rows at a time (the reference model's matrix products decode a
    /// block of weight rows into a scratch buffer and multiply it there).
    ///
    /// `bytes` must hold exactly `values.count` elements of this format (whole blocks for the
    /// quantized ones). Callers check a tensor's byte count once when they open it, so a
    /// mismatch here is a programmer error, not a bad file.
    public func decode(_ bytes: UnsafeRawBufferPointer, into values: UnsafeMutableBufferPointer<Float>) {
        precondition(byteCount(elements: values.count) == bytes.count, "decode: \(bytes.count) bytes do not hold \(values.count) \(self) values")
        guard let source = bytes.baseAddress, let destination = values.baseAddress else { return }
        if self == .f32 {
            UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: bytes.count)
            return
        }
        // Bounds: group g reads bytes [g * 32 elements' bytes, +bytesPerBlock * (32 / elementsPerBlock))
        // and writes values [32 g, 32 g + 32), both inside the checked sizes for g < groups.
        let reader = ElementReader(format: self, base: source)
        let groups = values.count / 32
        for group in 0..<groups {
            _ = reader.group(group, scratch: UnsafeMutableRawPointer(destination + group * 32))
        }
        // Only float formats have a tail shorter than a block.
        for index in (groups * 32)..<values.count {
            destination[index] = reader.element(index)
        }
    }
}
