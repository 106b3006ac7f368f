import ModelIO

/// Reads metadata values in the order the spec lays them out: a value is its bytes; an array is
/// a UInt32 element type, a UInt64 count, then the elements (arrays may nest).
enum GGUFValueReader {
    /// Deeper nesting than this is refused: no real file nests more than twice, and a
    /// recursion depth set by the file must stay bounded.
    static let maximumDepth = 16

    static func readType(from cursor: inout ByteCursor, _ what: @autoclosure () -> String) throws -> GGUFValueType {
        let start = cursor.offset
        let raw = try cursor.u32("type of \(what())")
        guard let type = GGUFValueType(rawValue: raw) else {
            throw cursor.error("expected a metadata value type (0...12) for \(what()), found \(raw)", at: start)
        }
        return type
    }

    static func readString(from cursor: inout ByteCursor, _ what: @autoclosure () -> String) throws -> String {
        let length = try cursor.count("length of \(what())")
        return try cursor.string(length, what())
    }

    /// One byte that must be 0 or 1: any other value means the file is not what it claims.
    static func readBool(from cursor: inout ByteCursor, _ what: @autoclosure () -> String) throws -> Bool {
        let start = cursor.offset
        let byte = try cursor.u8(what())
        guard byte <= 1 else { throw cursor.error("expected a BOOL (0 or 1) for \(what()), found \(byte)", at: start) }
        return byte == 1
    }

    /// Reads one value of `type`. Arrays are scanned, not decoded: they come back lazy.
    static func read(
        _ type: GGUFValueType, from cursor: inout ByteCursor, label: @autoclosure () -> String, depth: Int
    ) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try cursor.u8(label()))
        case .int8: return .int8(try cursor.i8(label()))
        case .uint16: return .uint16(try cursor.u16(label()))
        case .int16: return .int16(try cursor.i16(label()))
        case .uint32: return .uint32(try cursor.u32(label()))
        case .int32: return .int32(try cursor.i32(label()))
        case .float32: return .float32(try cursor.f32(label()))
        case .uint64: return .uint64(try cursor.u64(label()))
        case .int64: return .int64(try cursor.i64(label()))
        case .float64: return .float64(try cursor.f64(label()))
        case .bool: return .bool(try readBool(from: &cursor, label()))
        case .string: return .string(try readString(from: &cursor, label()))
        case .array:
            return .array(try scanArray(from: &cursor, label: label(), depth: depth + 1))
        }
    }

    /// Reads an array's header and steps over its elements, checking every length against the file.
    static func scanArray(from cursor: inout ByteCursor, label: String, depth: Int) throws -> GGUFArray {
        let (elementType, count, first) = try skipArray(from: &cursor, label: label, depth: depth)
        let elements = try cursor.source.slice(offset: first, length: cursor.offset - first)
        return GGUFArray(fileElements: elements, type: elementType, count: count, label: label, depth: depth)
    }

    /// Steps over one array (type, count, elements); returns where its elements start. Labels
    /// are made only for errors: nested arrays can number millions.
    private static func skipArray(
        from cursor: inout ByteCursor, label: @autoclosure () -> String, depth: Int
    ) throws -> (type: GGUFValueType, count: Int, elements: Int) {
        let start = cursor.offset
        guard depth <= maximumDepth else {
            throw cursor.error("expected arrays nested at most \(maximumDepth) deep in \(label())", at: start)
        }
        let elementType = try readType(from: &cursor, "elements of \(label())")
        let count = try cursor.count("element count of \(label())", elementSize: elementType.minimumSize)
        let first = cursor.offset
        try skipElements(elementType, count: count, from: &cursor, label: label(), depth: depth)
        return (elementType, count, first)
    }

    /// Steps over `count` elements. Each step consumes at least one byte of the file, so the
    /// walk is bounded by the file's size whatever the counts claim.
    private static func skipElements(
        _ type: GGUFValueType, count: Int, from cursor: inout ByteCursor, label: @autoclosure () -> String, depth: Int
    ) throws {
        if let size = type.fixedSize {
            // count <= remaining / size was checked when the count was read: no overflow.
            if type == .bool {
                for index in 0..<count { _ = try readBool(from: &cursor, "\(label())[\(index)]") }
            } else {
                try cursor.skip(count * size, "\(count) elements of \(label())")
            }
            return
        }
        // Sound strings go by in one pass; the checked reads below take over at a bad one.
        let checkedFrom = type == .string ? cursor.skipValidStrings(upTo: count) : 0
        for index in checkedFrom..<count {
            if type == .string {
                let length = try cursor.count("length of \(label())[\(index)]")
                let start = cursor.offset
                try cursor.skip(length, "\(label())[\(index)]")
                guard try isValidUTF8(cursor.source, offset: start, length: length) else {
                    throw cursor.error("expected \(label())[\(index)] to be valid UTF-8", at: start)
                }
            } else {
                _ = try skipArray(from: &cursor, label: "\(label())[\(index)]", depth: depth + 1)
            }
        }
    }

    /// Checks UTF-8 without making a String: a file that opens can always hand out its strings.
    static func isValidUTF8(_ source: ByteSource, offset: Int, length: Int) throws -> Bool {
        try source.withUnsafeBytes(offset: offset, length: length) { UTF8Validation.isValid($0) }
    }
}
