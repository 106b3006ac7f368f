/// A strict JSON parser (RFC 8259) for headers and files read from untrusted sources:
/// safetensors headers, tokenizer.json, config.json, chat messages.
///
/// Every error is a `FileError` with the byte offset in the file, nesting is limited, integers
/// are exact (Int64, or UInt64 above Int64.max), strings must be valid UTF-8 and escapes valid.
public enum JSONParser {
    public static let maximumDepth = 256

    public static func parse(_ bytes: [UInt8], file: String = "<memory>", baseOffset: Int = 0) throws -> JSONValue {
        try bytes.withUnsafeBytes { try parse($0, file: file, baseOffset: baseOffset) }
    }

    /// Parses part of a buffer (one line of a JSON-lines file, say) without copying it out.
    public static func parse(_ bytes: ArraySlice<UInt8>, file: String = "<memory>", baseOffset: Int = 0) throws -> JSONValue {
        try bytes.withUnsafeBytes { try parse($0, file: file, baseOffset: baseOffset) }
    }

    public static func parse(_ text: String, file: String = "<memory>") throws -> JSONValue {
        try parse(Array(text.utf8), file: file)
    }

    /// Parses a slice of a file; error offsets are positions in that file.
    public static func parse(_ slice: ByteSlice) throws -> JSONValue {
        try slice.withUnsafeBytes { try parse($0, file: slice.source.name, baseOffset: slice.offset) }
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String, baseOffset: Int) throws -> JSONValue {
        var reader = Reader(bytes: bytes, file: file, baseOffset: baseOffset)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw reader.error("expected the end of the JSON document") }
        return value
    }
}

private struct Reader {
    let bytes: UnsafeRawBufferPointer
    let file: String
    let baseOffset: Int
    var position = 0

    init(bytes: UnsafeRawBufferPointer, file: String, baseOffset: Int) {
        self.bytes = bytes
        self.file = file
        self.baseOffset = baseOffset
    }

    func error(_ message: String, at place: Int? = nil) -> FileError {
        FileError(file: file, offset: baseOffset + (place ?? position), message)
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard current == byte else { throw error("expected \(what)") }
        position += 1
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < JSONParser.maximumDepth else { throw error("expected at most \(JSONParser.maximumDepth) levels of nesting") }
        guard let byte = current else { throw error("expected a JSON value, found the end of the data") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("expected a JSON value")
        }
    }

    mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count,
            expected.indices.allSatisfy({ bytes[position + $0] == expected[$0] })
        else { throw error("expected \(word)") }
        position += expected.count
    }

    mutating func object(depth: Int) throws -> JSONValue {
        position += 1
        var members: [JSONMember] = []
        // A key given twice has no agreed meaning (some readers keep the first, some the last):
        // it is refused, so no two tools can read different values from one file.
        var keys = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyStart = position
            let key = try string()
            guard keys.insert(key).inserted else {
                throw error("found key \"\(key)\" twice in one object; expected unique keys", at: keyStart)
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after an object key")
            skipWhitespace()
            members.append(JSONMember(key, try value(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}' in an object")
            return .object(members)
        }
    }

    mutating func array(depth: Int) throws -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            return .array(items)
        }
    }

    mutating func string() throws -> String {
        let start = position
        position += 1
        // Fast path: no escapes, so the bytes are the string (validated as UTF-8 once).
        let scan = plainRunEnd(from: position)
        if scan < bytes.count, bytes[scan] == UInt8(ascii: "\"") {
            let raw = UnsafeRawBufferPointer(rebasing: bytes[position..<scan])
            guard UTF8Validation.isValid(raw) else { throw error("expected a string of valid UTF-8", at: start) }
            position = scan + 1
            return Self.string(validUTF8: raw)
        }
        return try escapedString(start: start)
    }

    /// A String of bytes already checked by UTF8Validation (`String(decoding:)` alone would
    /// repair invalid bytes instead of refusing them).
    static func string(validUTF8 bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Where the run of bytes from `index` that stand for themselves in a string ends: at a
    /// quote, a backslash, a control character or the end of the data. Eight bytes at a time
    /// (strings such as whole documents are long).
    func plainRunEnd(from index: Int) -> Int {
        let bytes = self.bytes  // a local, so that the loops keep it in registers
        var index = index
        while bytes.count - index >= 8 {
            let stops = Self.runStops(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if stops != 0 { return index + stops.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
            index += 1
        }
        return index
    }

    /// The top bit of each byte of the little-endian `word` that is below 0x20, a quote or a
    /// backslash, possibly with false marks above the first such byte, never below it: in
    /// `(b - n) & ~b & 0x80` (n <= 0x80) a byte gets a mark when it is below n, and also when a
    /// borrow from a lower byte that was below n reaches it. So the lowest mark is exact.
    /// Equality is "below 1" after an XOR.
    @inline(__always)
    static func runStops(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, tops: UInt64 = 0x8080_8080_8080_8080
        func below(_ value: UInt64, _ limit: UInt64) -> UInt64 { (value &- ones &* limit) & ~value & tops }
        return below(word, 0x20) | below(word ^ (ones &* 0x22), 1) | below(word ^ (ones &* 0x5C), 1)
    }

    /// A string with escapes, decoded into a buffer that doubles when the next run or escape
    /// might not fit (decoded bytes are never more than written ones, so it stays within twice
    /// the string's size).
    mutating func escapedString(start: Int) throws -> String {
        var decoded = [UInt8](repeating: 0, count: max(16, min(bytes.count - position, 1 << 12)))
        var count = 0
        while try !decoded.withUnsafeMutableBufferPointer({ try decode(into: $0, count: &count, start: start) }) {
            decoded += [UInt8](repeating: 0, count: decoded.count)
        }
        return try decoded.withUnsafeBytes { all in
            let utf8 = UnsafeRawBufferPointer(rebasing: all[..<count])
            guard UTF8Validation.isValid(utf8) else { throw error("expected a string of valid UTF-8", at: start) }
            return Self.string(validUTF8: utf8)
        }
    }

    /// Decodes the string from `position` into `out[count...]`: true at its closing quote;
    /// false, with `position` and `count` where they were before the run or escape, when that
    /// run plus an escape (at most 4 bytes decoded) might not fit in `out`.
    mutating func decode(into out: UnsafeMutableBufferPointer<UInt8>, count: inout Int, start: Int) throws -> Bool {
        while true {
            let runEnd = plainRunEnd(from: position)
            let length = runEnd - position
            guard count + length + 4 <= out.count else { return false }
            if length > 0 {  // so neither buffer is empty, and both base addresses exist
                UnsafeMutableRawPointer(out.baseAddress! + count).copyMemory(from: bytes.baseAddress! + position, byteCount: length)
            }
            count += length
            position = runEnd
            guard let byte = current else { throw error("expected the closing '\"' of the string started here", at: start) }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return true
            case UInt8(ascii: "\\"):
                if position < bytes.count, let simple = Self.simpleEscape(bytes[position]) {
                    out[count] = simple  // room for 4 bytes was checked above
                    count += 1
                    position += 1
                } else {
                    try escape(into: out, count: &count)
                }
            default:  // a control character, the only other place a run stops
                throw error("expected no raw control characters in a string", at: position - 1)
            }
        }
    }

    /// The byte a one-letter escape stands for (`\n` and the like, the common ones), else nil.
    @inline(__always)
    static func simpleEscape(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// Decodes the escape after a backslash into `out[count...]`, which has room for 4 bytes.
    mutating func escape(into out: UnsafeMutableBufferPointer<UInt8>, count: inout Int) throws {
        guard let byte = current else { throw error("expected an escape character") }
        position += 1
        func put(_ byte: UInt8) {
            precondition(count < out.count, "a decoded JSON escape outgrew its room")
            out[count] = byte
            count += 1
        }
        if let simple = Self.simpleEscape(byte) { return put(simple) }
        switch byte {
        case UInt8(ascii: "u"):
            let scalar = try unicodeEscape()
            UTF8.encode(scalar) { put($0) }
        default: throw error("expected a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", at: position - 2)
        }
    }

    mutating func unicodeEscape() throws -> Unicode.Scalar {
        let escapeStart = position - 2
        let first = try hex4()
        if (0xD800..<0xDC00).contains(first) {
            guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw error("expected a low surrogate \\uDC00-\\uDFFF after a high surrogate", at: escapeStart)
            }
            position += 2
            let second = try hex4()
            guard (0xDC00..<0xE000).contains(second) else {
                throw error("expected a low surrogate \\uDC00-\\uDFFF after a high surrogate", at: escapeStart)
            }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Unicode.Scalar(combined)!  // in 0x10000...0x10FFFF by construction
        }
        guard let scalar = Unicode.Scalar(first) else {
            throw error("expected a Unicode scalar, found a lone low surrogate", at: escapeStart)
        }
        return scalar
    }

    mutating func hex4() throws -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("expected 4 hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("expected a hex digit")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    mutating func number() throws -> JSONValue {
        let start = position
        let negative = current == UInt8(ascii: "-")
        if negative { position += 1 }
        guard let first = current, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw error("expected a digit")
        }
        if first == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard skipDigits() > 0 else { throw error("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw error("expected a digit in the exponent") }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if integral {
            if let value = Int64(text) { return .int(value) }
            if !negative, let value = UInt64(text) { return .uint(value) }
        }
        guard let value = Double(text) else { throw error("expected a number", at: start) }
        return .double(value)
    }

    @discardableResult
    mutating func skipDigits() -> Int {
        let start = position
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
        return position - start
    }
}
