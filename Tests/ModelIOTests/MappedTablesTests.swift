import ModelIO
import Testing

/// The bounds-checked tables that point into a source (the vocabulary cache's lookups).
@Suite struct MappedTablesTests {
    @Test func u32ValuesAreReadLittleEndianFromAnyOffset() throws {
        // One stray byte first, so the values are not 4-byte aligned in the buffer.
        let source = ByteSource(bytes: [0xEE, 0x01, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12, 0xFF, 0xFF])
        let table = UInt32Table(try source.slice(offset: 1, length: 10))
        #expect(table.count == 2)  // the trailing partial value is not one
        #expect(Array(table) == [1, 0x1234_5678])
        #expect(UInt32Table([]).isEmpty)
        #expect(Array(UInt32Table([5, 0xFFFF_FFFF, 0])) == [5, 0xFFFF_FFFF, 0])
    }

    @Test func bytesMatchAndCopyOnlyInsideTheirRanges() throws {
        let source = ByteSource(bytes: Array("xxhello world".utf8))
        let table = ByteTable(try source.slice(offset: 2, length: 11))
        let text = Array("say hello".utf8)
        #expect(table.matches(text, 4, 9, at: 0))
        #expect(!table.matches(text, 4, 9, at: 1))
        #expect(table.matches(text, 9, 9, at: 11))  // empty, at the end
        #expect(table.bytes(6..<11) == Array("world".utf8))
        var out = Array("<".utf8)
        table.append(0..<5, to: &out)
        #expect(out == Array("<hello".utf8))
        #expect(table[10] == UInt8(ascii: "d"))
    }
}
