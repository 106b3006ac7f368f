/// One GGUF metadata value. Arrays stay in the file until asked for (see `GGUFArray`).
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .float32: .float32
        case .bool: .bool
        case .string: .string
        case .array: .array
        case .uint64: .uint64
        case .int64: .int64
        case .float64: .float64
        }
    }

    /// The value of any integer type, when it fits in an Int (counts are written as u32 or u64).
    public var integer: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(v)
        default: nil
        }
    }

    /// The value of either float type.
    public var double: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        default: nil
        }
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var array: GGUFArray? {
        if case .array(let array) = self { return array }
        return nil
    }
}

extension GGUFValue {
    /// The value as an error message shows it: its type and value, an array by its type and
    /// count (never a dump of its storage).
    public var briefDescription: String {
        switch self {
        case .uint8(let v): "UINT8 \(v)"
        case .int8(let v): "INT8 \(v)"
        case .uint16(let v): "UINT16 \(v)"
        case .int16(let v): "INT16 \(v)"
        case .uint32(let v): "UINT32 \(v)"
        case .int32(let v): "INT32 \(v)"
        case .float32(let v): "FLOAT32 \(v)"
        case .bool(let v): "BOOL \(v)"
        case .string(let v): "STRING \"\(v)\""
        case .array(let array): "an ARRAY of \(array.count) \(array.elementType)"
        case .uint64(let v): "UINT64 \(v)"
        case .int64(let v): "INT64 \(v)"
        case .float64(let v): "FLOAT64 \(v)"
        }
    }
}
