import ModelIO

/// A GGUF array value: an element type, a count, and the elements.
///
/// An array read from a file keeps only the byte range of its elements. Opening a file walks
/// the string lengths once to find where the array ends (and checks them against the file), but
/// makes no strings: a 128K-token vocabulary costs nothing until someone asks for its tokens.
public struct GGUFArray: Sendable, Equatable {
    public let elementType: GGUFValueType
    public let count: Int
    let storage: Storage

    enum Storage: Sendable {
        /// The elements' bytes in the file, what they are called in messages, and the nesting depth.
        case file(ByteSlice, label: String, depth: Int)
        case values([GGUFValue])
    }

    /// An in-memory array for the writer. Every element must have type `elementType`.
    public init(_ elementType: GGUFValueType, _ values: [GGUFValue]) throws {
        if let wrong = values.firstIndex(where: { $0.type != elementType }) {
            throw FileError(file: "<metadata>", "array element \(wrong) is \(values[wrong].type), expected \(elementType)")
        }
        self.elementType = elementType
        count = values.count
        storage = .values(values)
    }

    public init(strings: [String]) { self.init(unchecked: .string, strings.map(GGUFValue.string)) }
    public init(uint64s: [UInt64]) { self.init(unchecked: .uint64, uint64s.map(GGUFValue.uint64)) }
    public init(int32s: [Int32]) { self.init(unchecked: .int32, int32s.map(GGUFValue.int32)) }
    public init(float32s: [Float]) { self.init(unchecked: .float32, float32s.map(GGUFValue.float32)) }

    private init(unchecked elementType: GGUFValueType, _ values: [GGUFValue]) {
        self.elementType = elementType
        count = values.count
        storage = .values(values)
    }

    init(fileElements: ByteSlice, type: GGUFValueType, count: Int, label: String, depth: Int) {
        elementType = type
        self.count = count
        storage = .file(fileElements, label: label, depth: depth)
    }

    /// The first `limit` elements (all by default), decoded.
    public func elements(prefix limit: Int = .max) throws -> [GGUFValue] {
        let wanted = min(limit, count)
        switch storage {
        case .values(let values):
            return Array(values.prefix(wanted))
        case .file(let slice, let label, let depth):
            var cursor = ByteCursor(slice.source, offset: slice.offset)
            var result: [GGUFValue] = []
            result.reserveCapacity(wanted)
            for index in 0..<wanted {
                result.append(try GGUFValueReader.read(
                    elementType, from: &cursor, label: "\(label)[\(index)]", depth: depth))
            }
            return result
        }
    }

    /// Every element as a string; throws unless this is an array of strings.
    ///
    /// Decodes straight from the file rather than through `elements()`: a vocabulary has 128K
    /// tokens and 280K merges, and the general path (a GGUFValue and a validating String init per
    /// element) took 44% of `count --vocab model.gguf` (perf).
    public func strings() throws -> [String] {
        try requireElementType(.string)
        guard case .file(let slice, let label, _) = storage else { return try elements().map { $0.string ?? "" } }
        var cursor = ByteCursor(slice.source, offset: slice.offset)
        var result: [String] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let length = try cursor.count("length of \(label)[\(index)]")
            let start = cursor.offset
            try cursor.skip(length, "\(label)[\(index)]")
            // Every string was checked as UTF-8 when the file opened: decoding repairs nothing.
            result.append(try slice.source.withUnsafeBytes(offset: start, length: length) { String(decoding: $0, as: UTF8.self) })
        }
        return result
    }

    /// Every element as a UInt64 (the checksum array); throws unless this is an array of UINT64.
    public func uint64s() throws -> [UInt64] {
        try requireElementType(.uint64)
        return try elements().map { if case .uint64(let v) = $0 { v } else { 0 } }
    }

    /// Every element of an integer array (any integer type) as an Int.
    public func integers() throws -> [Int] {
        if case .file(let slice, _, _) = storage, let size = elementType.fixedSize, elementType.isInteger {
            // Fixed-width elements: load each in place (the range was checked when the file opened).
            return try (0..<count).map { index in
                try Self.loadInteger(elementType, from: slice.source, at: slice.offset + index * size)
            }
        }
        let values = try elements()
        return try values.enumerated().map { index, value in
            guard let integer = value.integer else {
                throw FileError(file: fileName, "expected integer array elements, found \(value.type) at index \(index)")
            }
            return integer
        }
    }

    /// Every element of a float array (FLOAT32 or FLOAT64) as a Double.
    public func doubles() throws -> [Double] {
        try elements().enumerated().map { index, value in
            guard let double = value.double else {
                throw FileError(file: fileName, "expected float array elements, found \(value.type) at index \(index)")
            }
            return double
        }
    }

    private static func loadInteger(_ type: GGUFValueType, from source: ByteSource, at offset: Int) throws -> Int {
        switch type {
        case .uint8: return Int(try source.load(UInt8.self, at: offset))
        case .int8: return Int(try source.load(Int8.self, at: offset))
        case .uint16: return Int(try source.load(UInt16.self, at: offset))
        case .int16: return Int(try source.load(Int16.self, at: offset))
        case .uint32: return Int(try source.load(UInt32.self, at: offset))
        case .int32: return Int(try source.load(Int32.self, at: offset))
        case .int64: return Int(try source.load(Int64.self, at: offset))
        default:
            let value = try source.load(UInt64.self, at: offset)
            guard let fits = Int(exactly: value) else {
                throw FileError(file: source.name, offset: offset, "expected an integer below 2^63, found \(value)")
            }
            return fits
        }
    }

    private func requireElementType(_ type: GGUFValueType) throws {
        guard elementType == type else {
            throw FileError(file: fileName, "expected an array of \(type), found an array of \(elementType)")
        }
    }

    private var fileName: String {
        if case .file(let slice, let label, _) = storage { return "\(slice.source.name): \(label)" }
        return "<metadata>"
    }

    /// Equal element types, counts and values (arrays that fail to decode are unequal).
    public static func == (lhs: GGUFArray, rhs: GGUFArray) -> Bool {
        guard lhs.elementType == rhs.elementType, lhs.count == rhs.count else { return false }
        guard let left = try? lhs.elements(), let right = try? rhs.elements() else { return false }
        return left == right
    }
}

