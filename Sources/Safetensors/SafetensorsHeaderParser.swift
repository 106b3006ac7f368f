import ModelIO

/// Reads the JSON header of a safetensors file: `{"__metadata__": {str: str}, NAME: {"dtype", "shape", "data_offsets"}, ...}`.
enum SafetensorsHeaderParser {
    struct Entry {
        let name: String
        let dtype: SafetensorsDType
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    static func parse(_ header: ByteSlice) throws -> (metadata: [(key: String, value: String)], entries: [Entry]) {
        let file = header.source.name
        let fail = { (message: String) in FileError(file: file, offset: header.offset, message) }
        guard case .object(let members) = try JSONParser.parse(header) else {
            throw fail("expected the header to be a JSON object")
        }
        var seen = Set<String>()
        var metadata: [(key: String, value: String)] = []
        var entries: [Entry] = []
        entries.reserveCapacity(members.count)
        for member in members {
            guard seen.insert(member.key).inserted else {
                throw fail("found \"\(member.key)\" twice in the header; expected unique names")
            }
            if member.key == "__metadata__" {
                metadata = try parseMetadata(member.value, fail: fail)
            } else {
                entries.append(try parseEntry(member.key, member.value, fail: fail))
            }
        }
        return (metadata, entries)
    }

    static func parseMetadata(_ value: JSONValue, fail: (String) -> FileError) throws -> [(key: String, value: String)] {
        guard case .object(let members) = value else { throw fail("expected __metadata__ to be an object of strings") }
        var seen = Set<String>()
        return try members.map { member in
            guard case .string(let text) = member.value else {
                throw fail("expected __metadata__ value \"\(member.key)\" to be a string")
            }
            guard seen.insert(member.key).inserted else { throw fail("found __metadata__ key \"\(member.key)\" twice") }
            return (member.key, text)
        }
    }

    static func parseEntry(_ name: String, _ value: JSONValue, fail: (String) -> FileError) throws -> Entry {
        guard case .object = value else { throw fail("expected tensor \(name) to be an object with dtype, shape, data_offsets") }
        guard let dtypeName = value["dtype"]?.stringValue else { throw fail("expected a string dtype for tensor \(name)") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw fail("expected a known dtype for tensor \(name), found \"\(dtypeName)\"")
        }
        guard let rawShape = value["shape"]?.arrayValue else { throw fail("expected a shape array for tensor \(name)") }
        let shape = rawShape.compactMap { $0.int64Value.flatMap { Int(exactly: $0) } }
        guard shape.count == rawShape.count, let elements = checkedElementCount(shape) else {
            throw fail("expected non-negative dimensions for tensor \(name) whose product fits, found \(JSONValue.array(rawShape).serialized())")
        }
        guard let offsets = value["data_offsets"]?.arrayValue, offsets.count == 2,
            let begin = offsets[0].int64Value.flatMap({ Int(exactly: $0) }),
            let end = offsets[1].int64Value.flatMap({ Int(exactly: $0) }), begin >= 0, begin <= end
        else { throw fail("expected data_offsets [begin, end] with 0 <= begin <= end for tensor \(name)") }
        guard let byteCount = dtype.byteCount(elements: elements) else {
            if dtype.byteCountOverflows(elements: elements) {
                throw fail("tensor \(name)'s \(elements) \(dtype) elements take more bytes than a 64-bit size holds")
            }
            throw fail("expected tensor \(name)'s \(elements) \(dtype) elements to fill whole bytes")
        }
        guard byteCount == end - begin else {
            throw fail("expected tensor \(name) (\(dtype) \(shape)) to hold \(byteCount) bytes, but data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }
}
