/// How a tensor's elements are stored: plain floats, or ggml's blocks of 32 quantized values.
///
/// Byte layouts (little-endian, ggml's `block_q8_0`, `block_q4_0`, `block_q4_1`):
/// - f32: 4 bytes; f16: 2 bytes (IEEE binary16); bf16: 2 bytes (top half of a binary32)
/// - q8_0: 34 bytes per 32 values: f16 scale d, then 32 signed bytes q; value = d * q
/// - q4_0: 18 bytes per 32 values: f16 scale d, then 16 bytes; byte j holds q[j] in its low nibble
///   and q[j + 16] in its high nibble; value = d * (q - 8)
/// - q4_1: 20 bytes per 32 values: f16 scale d, f16 minimum m, then 16 bytes as in q4_0;
///   value = d * q + m
public enum ElementFormat: String, CaseIterable, Sendable, CustomStringConvertible {
    case f32, f16, bf16
    case q8_0, q4_0, q4_1

    /// Elements that share one block: 1 for the float formats.
    public var elementsPerBlock: Int { isQuantized ? 32 : 1 }

    public var bytesPerBlock: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q8_0: 34
        case .q4_0: 18
        case .q4_1: 20
        }
    }

    /// Bytes of 32 elements, the unit the codecs work in: one block of a quantized format.
    var bytesPerGroup: Int { bytesPerBlock * (32 / elementsPerBlock) }

    public var isQuantized: Bool {
        switch self {
        case .q8_0, .q4_0, .q4_1: true
        case .f32, .f16, .bf16: false
        }
    }

    /// Bytes taken by `elements` values, or nil when they do not fill whole blocks (or overflow).
    public func byteCount(elements: Int) -> Int? {
        guard elements >= 0, elements % elementsPerBlock == 0 else { return nil }
        let (bytes, overflow) = (elements / elementsPerBlock).multipliedReportingOverflow(by: bytesPerBlock)
        return overflow ? nil : bytes
    }

    /// Values held by `bytes` bytes, or nil when that is not a whole number of blocks.
    public func elementCount(bytes: Int) -> Int? {
        guard bytes >= 0, bytes % bytesPerBlock == 0 else { return nil }
        return bytes / bytesPerBlock * elementsPerBlock
    }

    public var description: String { rawValue }
}
