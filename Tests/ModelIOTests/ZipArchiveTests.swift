import Foundation
import ModelIO
import Testing
import TestSupport

/// ZipArchive against archives written by Python's zipfile: stored and deflated members, a
/// comment after the end record, and the errors for what it does not read.
@Suite struct ZipArchiveTests {
    /// Writes `members` (name -> bytes as latin-1 text) with Python's zipfile and returns the archive's bytes.
    static func pythonZip(_ script: String) throws -> [UInt8] {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.zip").path
        let result = try runPython(["-c", "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\n" + script + "\nz.close()", path])
        guard result.status == 0 else { throw ToolError("python: \(result)") }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static let text = Array(String(repeating: "tokenizer bytes 0123456789 ", count: 400).utf8)

    @Test(.requiresFixtureVenv) func readsStoredAndDeflatedMembers() throws {
        let bytes = try Self.pythonZip("""
            data = b'tokenizer bytes 0123456789 ' * 400
            z.writestr('a/stored.txt', data, compress_type=zipfile.ZIP_STORED)
            z.writestr('b/deflated.txt', data, compress_type=zipfile.ZIP_DEFLATED)
            z.writestr('empty', b'', compress_type=zipfile.ZIP_DEFLATED)
            z.comment = b'a comment after the end record'
            """)
        let archive = try ZipArchive(ByteSource(bytes: bytes, name: "a.zip"))
        #expect(archive.entries.map(\.name) == ["a/stored.txt", "b/deflated.txt", "empty"])
        #expect(try archive.contents(of: "a/stored.txt") == Self.text)
        #expect(try archive.contents(of: "b/deflated.txt") == Self.text)
        #expect(try archive.contents(of: "empty") == [])
        #expect(try archive.contents(of: "missing") == nil)
    }

    @Test(.requiresFixtureVenv) func damagedDataFailsTheCRCCheck() throws {
        var bytes = try Self.pythonZip("z.writestr('x', b'0123456789', compress_type=zipfile.ZIP_STORED)")
        let dataOffset = 30 + 1  // local header, then the one-byte name
        bytes[dataOffset + 3] ^= 0x01
        let archive = try ZipArchive(ByteSource(bytes: bytes, name: "a.zip"))
        #expect(throws: FileError.self) { try archive.contents(of: "x") }
        do {
            _ = try archive.contents(of: "x")
        } catch let error as FileError {
            #expect(error.offset == UInt64(dataOffset))
            #expect(error.message.contains("CRC-32"), "\(error)")
        }
    }

    @Test(.requiresFixtureVenv) func otherCompressionMethodsAreNamed() throws {
        let bytes = try Self.pythonZip("z.writestr('x', b'0123456789' * 50, compress_type=zipfile.ZIP_BZIP2)")
        let archive = try ZipArchive(ByteSource(bytes: bytes, name: "a.zip"))
        do {
            _ = try archive.contents(of: "x")
            Issue.record("a bzip2 member was read")
        } catch let error as FileError {
            #expect(error.message == "expected x to be stored (method 0) or deflated (method 8), found method 12", "\(error)")
        }
    }

    @Test func notAZipArchiveSaysWhatWasExpected() {
        let bytes = [UInt8](repeating: 0x41, count: 100)
        do {
            _ = try ZipArchive(ByteSource(bytes: bytes, name: "x.whl"))
            Issue.record("100 bytes of A were read as a zip archive")
        } catch {
            #expect("\(error)" == "x.whl: at byte 78: expected a zip archive's end of central directory record (signature PK\\5\\6) in the last 100 bytes")
        }
    }

    /// Found by Fuzz/ (fuzz-zip): a 139-byte archive whose central directory declares a deflated
    /// member of 2,113,929,216 bytes from 2 compressed bytes. The reader allocated the declared
    /// size before inflating (up to 4 GB for any small file given to `vocab install`); now a size
    /// deflate cannot reach from the member's bytes is refused first, naming the size field.
    @Test func declaredSizeBeyondDeflateIsRefusedBeforeAllocating() throws {
        let path = TestSupport.repositoryRoot.appendingPathComponent("Fuzz/regressions/zip/declared-size-beyond-deflate.whl").path
        let archive = try ZipArchive(try ByteSource(mapping: path))
        let entry = try #require(archive.entries.first)
        #expect(throws: FileError.self) { try archive.contents(of: entry.name) }
        do {
            _ = try archive.contents(of: entry.name)
        } catch let error as FileError {
            #expect(error.message.contains("to be at most 1032 times its"), "\(error)")
            #expect(error.offset == UInt64(0x21 + 24), "\(error)")  // the central directory header's uncompressed size
        }
    }

    /// The bound holds for what zlib writes at its best: a megabyte of zeros, deflated.
    @Test(.requiresFixtureVenv) func highlyCompressedMemberStillReads() throws {
        let bytes = try Self.pythonZip("z.writestr('zeros', bytes(1 << 20), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)")
        #expect(try ZipArchive(ByteSource(bytes: bytes, name: "a.zip")).contents(of: "zeros") == [UInt8](repeating: 0, count: 1 << 20))
    }
}
