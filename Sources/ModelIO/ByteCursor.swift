/// A little-endian reader that walks a `ByteSource` from front to back, as header parsers do.
///
/// Each read names what it expected, so a truncated file fails with
/// "file: at byte 23: expected tensor count (8 bytes), but only 3 bytes remain".
public struct ByteCursor: Sendable {
    public let source: ByteSource
    public private(set) var offset: Int

    public init(_ source: ByteSource, offset: Int = 0) {
        self.source = source
        self.offset = offset
    }

    public var remaining: Int { source.count - offset }

    private mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let value = try source.load(T.self, at: offset, expected: what())
        offset += MemoryLayout<T>.size
        return value
    }

    public mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 { try read(UInt8.self, what()) }
    public mutating func u16(_ what: @autoclosure () -> String) throws -> UInt16 { try read(UInt16.self, what()) }
    public mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 { try read(UInt32.self, what()) }
    public mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 { try read(UInt64.self, what()) }
    public mutating func i8(_ what: @autoclosure () -> String) throws -> Int8 { try read(Int8.self, what()) }
    public mutating func i16(_ what: @autoclosure () -> String) throws -> Int16 { try read(Int16.self, what()) }
    public mutating func i32(_ what: @autoclosure () -> String) throws -> Int32 { try read(Int32.self, what()) }
    public mutating func i64(_ what: @autoclosure () -> String) throws -> Int64 { try read(Int64.self, what()) }
    public mutating func f32(_ what: @autoclosure () -> String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }
    public mutating func f64(_ what: @autoclosure () -> String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// A length read from the file, checked to fit in what remains before anything is allocated.
    /// `elementSize` is the minimum number of bytes each counted element occupies.
    public mutating func count(_ what: @autoclosure () -> String, elementSize: Int = 1) throws -> Int {
        let start = offset
        let raw = try u64(what())
        // The message is built only on failure: counts are read in hot loops (vocabularies).
        guard raw <= UInt64(Int.max), elementSize == 0 || Int(raw) <= remaining / max(1, elementSize) else {
            throw FileError(
                file: source.name, offset: start,
                "\(what()) is \(raw), more than the \(remaining) bytes left in the file can hold")
        }
        return Int(raw)
    }

    /// `length` bytes as a slice of the source (no copy).
    public mutating func slice(_ length: Int, _ what: @autoclosure () -> String) throws -> ByteSlice {
        let slice = try source.slice(offset: offset, length: length, expected: what())
        offset += length
        return slice
    }

    public mutating func bytes(_ length: Int, _ what: @autoclosure () -> String) throws -> [UInt8] {
        try slice(length, what()).bytes
    }

    /// `length` bytes that must be valid UTF-8.
    public mutating func string(_ length: Int, _ what: @autoclosure () -> String) throws -> String {
        let start = offset
        let raw = try slice(length, what())
        guard let text = raw.withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
            throw FileError(file: source.name, offset: start, "expected \(what()) to be valid UTF-8")
        }
        return text
    }

    public mutating func skip(_ length: Int, _ what: @autoclosure () -> String) throws {
        try source.checkRange(offset: offset, length: length, expected: what())
        offset += length
    }

    /// An error at the cursor's current place.
    public func error(_ message: String, at place: Int? = nil) -> FileError {
        FileError(file: source.name, offset: place ?? offset, message)
    }
}
