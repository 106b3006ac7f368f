import ModelIO

/// Token ids as people pass them to `decode`: decimal numbers separated by white space, or a
/// JSON array of integers (what `tokenize --json` prints).
public enum IDList {
    public static func parse(_ bytes: [UInt8], source: String) throws -> [Int] {
        if let first = bytes.first(where: { !($0 == 0x20 || (0x09...0x0D).contains($0)) }), first == UInt8(ascii: "[") {
            return try parseJSON(bytes, source: source)
        }
        return try parseWhitespaceSeparated(bytes, source: source)
    }

    private static func parseJSON(_ bytes: [UInt8], source: String) throws -> [Int] {
        guard let items = try JSONParser.parse(bytes, file: source).arrayValue else {
            throw FileError(file: source, offset: 0, "expected a JSON array of token ids")
        }
        return try items.enumerated().map { index, item in
            guard let id = item.int64Value, let value = Int(exactly: id) else {
                throw FileError(file: source, "expected an integer token id at index \(index) of the JSON array")
            }
            return value
        }
    }

    private static func parseWhitespaceSeparated(_ bytes: [UInt8], source: String) throws -> [Int] {
        var ids: [Int] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                index += 1
                continue
            }
            let start = index
            var value = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                guard index - start < 12 else {
                    throw FileError(file: source, offset: start, "expected a token id, found a number too large to be one")
                }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            guard index > start, index == bytes.count || bytes[index] == 0x20 || (0x09...0x0D).contains(bytes[index]) else {
                throw FileError(file: source, offset: index, "expected token ids (decimal numbers separated by white space)")
            }
            ids.append(value)
        }
        return ids
    }
}
