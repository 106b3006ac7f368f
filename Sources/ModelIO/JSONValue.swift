/// A JSON document as values, with object keys kept in their order (and duplicates kept, so
/// validators can refuse them). Integers stay exact: 64-bit values never pass through Double.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// Only for integers above Int64.max; the parser produces `.int` whenever it fits.
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// A 32-bit float as the shortest decimal that reads back as the same float (1e-05, not
    /// 9.999999747378752e-06), which is how Python's tools print float32 metadata.
    public static func float32(_ value: Float) -> JSONValue {
        guard value.isFinite else { return .double(Double(value)) }
        return .double(Double("\(value)") ?? Double(value))
    }

    public static func integer<T: BinaryInteger>(_ value: T) -> JSONValue {
        if let small = Int64(exactly: value) { return .int(small) }
        return .uint(UInt64(value))
    }

    /// The first member named `key` of an object, else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var stringValue: String? { if case .string(let text) = self { return text } else { return nil } }
    public var boolValue: Bool? { if case .bool(let flag) = self { return flag } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let items) = self { return items } else { return nil } }
    public var objectValue: [JSONMember]? { if case .object(let members) = self { return members } else { return nil } }

    /// The value as Int64 when it is an integer that fits (1.0 written as a double does not count).
    public var int64Value: Int64? {
        switch self {
        case .int(let value): return value
        case .uint(let value): return Int64(exactly: value)
        default: return nil
        }
    }

    /// Any number as Double (integers converted).
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .uint(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }
}

public struct JSONMember: Equatable, Sendable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(floatLiteral value: Double) { self = .double(value) }
}
