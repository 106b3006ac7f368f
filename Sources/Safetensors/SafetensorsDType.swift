/// An element type of the safetensors format, by the name its header uses.
///
/// Sizes are in bits because the format has sub-byte types (F4, F6): a tensor's byte count is
/// its element count times the bit size over 8, which must come out whole.
public enum SafetensorsDType: String, CaseIterable, Sendable, CustomStringConvertible {
    case bool = "BOOL"
    case f4 = "F4"
    case f6_E2M3 = "F6_E2M3"
    case f6_E3M2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8_E5M2 = "F8_E5M2"
    case f8_E4M3 = "F8_E4M3"
    case f8_E4M3FNUZ = "F8_E4M3FNUZ"
    case f8_E5M2FNUZ = "F8_E5M2FNUZ"
    case f8_E8M0 = "F8_E8M0"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case c64 = "C64"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    public var name: String { rawValue }
    public var description: String { rawValue }

    public var bitSize: Int {
        switch self {
        case .f4: 4
        case .f6_E2M3, .f6_E3M2: 6
        case .bool, .u8, .i8, .f8_E5M2, .f8_E4M3, .f8_E4M3FNUZ, .f8_E5M2FNUZ, .f8_E8M0: 8
        case .i16, .u16, .f16, .bf16: 16
        case .i32, .u32, .f32: 32
        case .c64, .f64, .i64, .u64: 64
        }
    }

    /// Bytes `elements` elements occupy, or nil when that is not a whole number of bytes or overflows.
    /// Whether `elements` of this dtype need more bits than an Int holds: what tells a size
    /// overflow from sub-byte elements that end inside a byte.
    public func byteCountOverflows(elements: Int) -> Bool {
        elements.multipliedReportingOverflow(by: bitSize).overflow
    }

    public func byteCount(elements: Int) -> Int? {
        let (bits, overflow) = elements.multipliedReportingOverflow(by: bitSize)
        guard !overflow, elements >= 0, bits % 8 == 0 else { return nil }
        return bits / 8
    }
}
