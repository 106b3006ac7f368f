/// Read-only tables that point into a `ByteSource` (usually a memory map) instead of being copied
/// out of it: a cache file's arrays are used where they lie, so loading one costs no allocation,
/// no copy and no page faults of new memory (Docs/BENCHMARKS.md, start-up). Every access is
/// bounds-checked (a bad index stops the process, as an array's would); the pointer stays here.
///
/// The accessors are inlinable: the tokenizer's lookups run through them, and a call per access
/// from another module cost encoding 7% more instructions (callgrind).

/// `count` little-endian u32 values, the first at a slice's first byte.
// @unchecked Sendable: the pointer is into `owner`'s bytes, immutable for its lifetime (as
// `ByteSource` is shared across threads).
public struct UInt32Table: RandomAccessCollection, @unchecked Sendable {
    /// Keeps the bytes alive (the pointer below is into it).
    @usableFromInline let owner: ByteSource?
    @usableFromInline let base: UnsafeRawPointer?
    public let count: Int

    /// The slice's bytes read as u32 values; a trailing partial value is ignored.
    public init(_ slice: ByteSlice) {
        owner = slice.source
        count = slice.count / 4
        // The range was checked when the slice was made; the source is immutable and lives as
        // long as `owner`.
        base = count > 0 ? slice.source.base.map { $0 + slice.offset } : nil
    }

    /// A table of the values themselves (built in memory rather than read from a file).
    public init(_ values: [UInt32]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            bytes.append(UInt8(truncatingIfNeeded: value))
            bytes.append(UInt8(truncatingIfNeeded: value >> 8))
            bytes.append(UInt8(truncatingIfNeeded: value >> 16))
            bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        }
        self.init(ByteSource(bytes: bytes).whole)
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable @inline(__always)
    public subscript(index: Int) -> UInt32 {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "UInt32Table index out of range")
        return withExtendedLifetime(owner) {
            UInt32(littleEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
        }
    }
}

/// `count` bytes, the first at a slice's first byte.
public struct ByteTable: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline let owner: ByteSource?
    @usableFromInline let base: UnsafeRawPointer?
    public let count: Int

    public init(_ slice: ByteSlice) {
        owner = slice.source
        count = slice.count
        base = count > 0 ? slice.source.base.map { $0 + slice.offset } : nil
    }

    public init(_ bytes: [UInt8]) {
        self.init(ByteSource(bytes: bytes).whole)
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable @inline(__always)
    public subscript(index: Int) -> UInt8 {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "ByteTable index out of range")
        return withExtendedLifetime(owner) { base.unsafelyUnwrapped.load(fromByteOffset: index, as: UInt8.self) }
    }

    /// Whether `text[start ..< end]` equals this table's bytes `offset ..< offset + (end - start)`.
    /// Both ranges are checked.
    @inlinable @inline(__always)
    public func matches(_ text: [UInt8], _ start: Int, _ end: Int, at offset: Int) -> Bool {
        let length = end &- start
        precondition(
            start >= 0 && length >= 0 && end <= text.count && offset >= 0 && length <= count &- offset,
            "ByteTable range out of range")
        return withExtendedLifetime(owner) {
            text.withUnsafeBufferPointer { text in
                var i = start, j = offset
                while i < end {
                    if text[i] != base.unsafelyUnwrapped.load(fromByteOffset: j, as: UInt8.self) { return false }
                    i &+= 1
                    j &+= 1
                }
                return true
            }
        }
    }

    /// Appends the bytes `range` to `array` (checked).
    public func append(_ range: Range<Int>, to array: inout [UInt8]) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "ByteTable range out of range")
        guard !range.isEmpty else { return }
        withExtendedLifetime(owner) {
            array.append(contentsOf: UnsafeRawBufferPointer(start: base.unsafelyUnwrapped + range.lowerBound, count: range.count))
        }
    }

    /// A copy of the bytes `range` (checked).
    public func bytes(_ range: Range<Int>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        append(range, to: &result)
        return result
    }
}
