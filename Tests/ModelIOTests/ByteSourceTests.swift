import Foundation
import Testing
import TestSupport
@testable import ModelIO

@Suite struct ByteSourceTests {
    @Test func readPastEndOfBufferNamesOffset() throws {
        let source = ByteSource(bytes: [1, 2, 3], name: "buf")
        #expect(try source.load(UInt16.self, at: 1) == 0x0302)
        let error = #expect(throws: FileError.self) { try source.load(UInt32.self, at: 1, expected: "a count") }
        #expect(error?.offset == 1)
        #expect(error?.file == "buf")
        #expect(error?.description == "buf: at byte 1: expected a count (4 bytes), but only 2 bytes remain")
    }

    @Test func readPastEndOfMappedFileNamesOffset() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ten.bin").path
        try Data((0..<10).map { UInt8($0) }).write(to: URL(fileURLWithPath: path))
        let source = try ByteSource(mapping: path)
        #expect(source.count == 10)
        #expect(try source.bytes(offset: 8, length: 2) == [8, 9])
        let error = #expect(throws: FileError.self) { try source.bytes(offset: 8, length: 3) }
        #expect(error?.offset == 8)
        #expect(error?.file == path)
    }

    @Test func hugeUntrustedLengthsDoNotOverflow() throws {
        let source = ByteSource(bytes: [UInt8](repeating: 0, count: 16))
        #expect(throws: FileError.self) { try source.slice(offset: 8, length: Int.max) }
        #expect(throws: FileError.self) { try source.slice(offset: Int.max, length: 8) }
        #expect(throws: FileError.self) { try source.slice(offset: -1, length: 1) }
        var cursor = ByteCursor(ByteSource(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]))
        let error = #expect(throws: FileError.self) { try cursor.count("array count") }
        #expect(error?.offset == 0)
    }

    @Test func emptyFileMapsToEmptySource() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("empty").path
        try Data().write(to: URL(fileURLWithPath: path))
        let source = try ByteSource(mapping: path)
        #expect(source.count == 0)
        #expect(throws: FileError.self) { try source.load(UInt8.self, at: 0) }
    }
}
