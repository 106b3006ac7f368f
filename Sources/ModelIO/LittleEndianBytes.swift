extension Array where Element == UInt8 {
    /// Appends `value` in little-endian byte order, the order every format here stores integers
    /// in (the writing counterpart of `ByteCursor`'s reads).
    public mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
