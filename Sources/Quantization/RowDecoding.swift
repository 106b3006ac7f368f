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
        // Bounds: group g reads the blocks of values [n g, n g + n) (n = the reader's group size,
        // whole blocks of the format) and writes those values, inside the checked sizes for g < groups.
        let reader = ElementReader(format: self, base: source, groupElements: max(32, elementsPerBlock))
        let size = reader.groupElements
        let groups = values.count / size
        for group in 0..<groups {
            _ = reader.group(group, scratch: UnsafeMutableRawPointer(destination + group * size))
        }
        // Only float formats have a tail shorter than a block.
        for index in (groups * size)..<values.count {
            destination[index] = reader.element(index)
        }
    }
}
