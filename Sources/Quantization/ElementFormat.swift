/// How a tensor's elements are stored: plain floats, ggml's blocks of 32 quantized values, or its
/// k-quant super-blocks of 256.
///
/// Byte layouts (little-endian, ggml's `block_q8_0`, `block_q4_0`, `block_q4_1`; the Q5 and
/// k-quant layouts are described where their kernels are, Q5_0.swift to Q6_K.swift):
/// - f32: 4 bytes; f16: 2 bytes (IEEE binary16); bf16: 2 bytes (top half of a binary32)
/// - q8_0: 34 bytes per 32 values: f16 scale d, then 32 signed bytes q; value = d * q
/// - q4_0: 18 bytes per 32 values: f16 scale d, then 16 bytes; byte j holds q[j] in its low nibble
///   and q[j + 16] in its high nibble; value = d * (q - 8)
/// - q4_1: 20 bytes per 32 values: f16 scale d, f16 minimum m, then 16 bytes as in q4_0;
///   value = d * q + m
public enum ElementFormat: String, CaseIterable, Sendable, CustomStringConvertible {
    case f32, f16, bf16
    case q8_0, q4_0, q4_1, q5_0, q5_1
    case q2_K, q3_K, q4_K, q5_K, q6_K

    /// Elements that share one block: 1 for the float formats, 256 for the k-quants.
    public var elementsPerBlock: Int { isSuperBlock ? 256 : isQuantized ? 32 : 1 }

    /// The k-quants, whose blocks hold 256 values.
    public var isSuperBlock: Bool {
        switch self {
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: true
        default: false
        }
    }

    public var bytesPerBlock: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q8_0: 34
        case .q4_0: 18
        case .q4_1: 20
        case .q5_0: 22
        case .q5_1: 24
        case .q2_K: 84
        case .q3_K: 110
        case .q4_K: 144
        case .q5_K: 176
        case .q6_K: 210
        }
    }

    public var isQuantized: Bool {
        switch self {
        case .f32, .f16, .bf16: false
        default: true
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
