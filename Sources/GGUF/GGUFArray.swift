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
            throw ToolError("GGUF array element \(wrong) is \(values[wrong].type), expected \(elementType)")
        }
        self.init(unchecked: elementType, values)
    }

    public init(strings: [String]) { self.init(unchecked: .string, strings.map(GGUFValue.string)) }
    public init(uint64s: [UInt64]) { self.init(unchecked: .uint64, uint64s.map(GGUFValue.uint64)) }
    public init(int32s: [Int32]) { self.init(unchecked: .int32, int32s.map(GGUFValue.int32)) }

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
        try mapElements(prefix: limit) { _, value in value }
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
        return try mapElements { _, value in if case .uint64(let v) = value { v } else { 0 } }
    }

    /// Every element of an integer array (any integer type) as an Int.
    public func integers() throws -> [Int] {
        try mapElements { index, value in
            guard let integer = value.integer else {
                let found = value.type.isInteger ? "a \(value.type) past Int.max" : "a \(value.type)"
                throw problem("expected integer array elements, found \(found) at index \(index)")
            }
            return integer
        }
    }

    /// `transform` of each of the first `limit` elements, decoded one at a time (a token-type
    /// array of 128K elements never exists as GGUFValues all at once).
    private func mapElements<T>(prefix limit: Int = .max, _ transform: (Int, GGUFValue) throws -> T) throws -> [T] {
        let wanted = min(limit, count)
        switch storage {
        case .values(let values):
            return try values.prefix(wanted).enumerated().map { try transform($0.offset, $0.element) }
        case .file(let slice, let label, let depth):
            var cursor = ByteCursor(slice.source, offset: slice.offset)
            var result: [T] = []
            result.reserveCapacity(wanted)
            for index in 0..<wanted {
                let value = try GGUFValueReader.read(elementType, from: &cursor, label: "\(label)[\(index)]", depth: depth)
                result.append(try transform(index, value))
            }
            return result
        }
    }

    private func requireElementType(_ type: GGUFValueType) throws {
        guard elementType == type else {
            throw problem("expected an array of \(type), found an array of \(elementType)")
        }
    }

    /// An error about this array: about the file it lies in, or, for an array made in memory, about no file.
    private func problem(_ message: String) -> any Error {
        guard case .file(let slice, let label, _) = storage else { return ToolError("GGUF array: \(message)") }
        return FileError(file: slice.source.name, offset: slice.offset, "\(label): \(message)")
    }

    /// Equal element types, counts and values (arrays that fail to decode are unequal).
    public static func == (lhs: GGUFArray, rhs: GGUFArray) -> Bool {
        guard lhs.elementType == rhs.elementType, lhs.count == rhs.count else { return false }
        guard let left = try? lhs.elements(), let right = try? rhs.elements() else { return false }
        return left == right
    }
}

