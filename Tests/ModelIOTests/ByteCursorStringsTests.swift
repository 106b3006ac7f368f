import ModelIO
import Testing

/// `ByteCursor.skipValidStrings`: the one-pass walk over u64-length-prefixed UTF-8 strings stops
/// at the first string that fails a check, without moving past it.
@Suite struct ByteCursorStringsTests {
    static func strings(_ items: [[UInt8]]) -> [UInt8] {
        items.flatMap { item in (0..<8).map { UInt8(truncatingIfNeeded: UInt64(item.count) >> (8 * UInt64($0))) } + item }
    }

    @Test func soundStringsAreAllSkipped() {
        let bytes = Self.strings([Array("hello".utf8), [], Array("Größe 😀".utf8)]) + [0xAA]
        var cursor = ByteCursor(ByteSource(bytes: bytes))
        #expect(cursor.skipValidStrings(upTo: 3) == 3)
        #expect(cursor.offset == bytes.count - 1)
    }

    @Test func stopsAtInvalidUTF8() {
        let bytes = Self.strings([Array("ok".utf8), [0x61, 0xC3], Array("never".utf8)])
        var cursor = ByteCursor(ByteSource(bytes: bytes))
        #expect(cursor.skipValidStrings(upTo: 3) == 1)
        #expect(cursor.offset == 10)
    }

    @Test func stopsAtALengthPastTheEnd() {
        var bytes = Self.strings([Array("ok".utf8), Array("cut".utf8)])
        bytes.removeLast()
        var cursor = ByteCursor(ByteSource(bytes: bytes))
        #expect(cursor.skipValidStrings(upTo: 2) == 1)
        #expect(cursor.offset == 10)
        var short = ByteCursor(ByteSource(bytes: Array(bytes[..<14])))  // a length cut short
        #expect(short.skipValidStrings(upTo: 2) == 1)
        #expect(short.offset == 10)
    }

    @Test func stopsAtTheCountItWasGiven() {
        let bytes = Self.strings([Array("a".utf8), Array("b".utf8)])
        var cursor = ByteCursor(ByteSource(bytes: bytes))
        #expect(cursor.skipValidStrings(upTo: 1) == 1)
        #expect(cursor.offset == 9)
        #expect(cursor.skipValidStrings(upTo: 0) == 0)
    }
}
