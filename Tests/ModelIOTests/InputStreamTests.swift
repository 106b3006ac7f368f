import Foundation
import Testing
import TestSupport
@testable import ModelIO

/// `.zst` content made by the `zstd` command-line tool reads back as the original bytes.
@Suite struct InputStreamTests {
    /// Text-like and random-ish content, small and larger than a decoder's output block.
    /// Named cases; the bytes are made inside the test so failures print only the name.
    static let contents = ["empty", "short", "repetitive 3 MB", "mixed 2 MB"]

    static func bytes(_ label: String) -> [UInt8] {
        switch label {
        case "short": return Array("hello, world\n".utf8)
        case "repetitive 3 MB": return Array(String(repeating: "the quick brown fox 0123456789\n", count: 100_000).utf8)
        case "mixed 2 MB": return (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        default: return []
        }
    }

    @Test(arguments: contents)
    func zstdFilesFromTheZstdToolReadBack(_ label: String) throws {
        let content = (label: label, bytes: Self.bytes(label))
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("text")
        try Data(content.bytes).write(to: plain)
        let compressed = try zstd(plain, folder: folder)
        for chunkSize in [1, 4096, 1 << 20] where content.bytes.count < 100_000 || chunkSize > 1 {
            let stream = try InputStream(path: compressed.path)
            #expect(stream.isCompressed)
            var all: [UInt8] = []
            while case let chunk = try stream.read(maxBytes: chunkSize), !chunk.isEmpty {
                #expect(chunk.count <= chunkSize)
                all += chunk
            }
            #expect(all == content.bytes, "\(content.label) with \(chunkSize)-byte reads")
        }
        #expect(try InputStream(path: plain.path).readAll() == content.bytes)
    }

    @Test func concatenatedFramesReadAsOneStream() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var joined = Data()
        for part in ["first part\n", "second part\n"] {
            let file = folder.appendingPathComponent(String(part.prefix(5)))
            try Data(part.utf8).write(to: file)
            joined += try Data(contentsOf: try zstd(file, folder: folder))
        }
        let both = folder.appendingPathComponent("both.zst")
        try joined.write(to: both)
        #expect(try InputStream(path: both.path).readAll() == Array("first part\nsecond part\n".utf8))
    }

    @Test func recognisedByContentNotByName() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("a.txt")
        try Data("renamed".utf8).write(to: plain)
        let renamed = folder.appendingPathComponent("a.bin")
        try FileManager.default.moveItem(at: try zstd(plain, folder: folder), to: renamed)
        #expect(try InputStream(path: renamed.path).readAll() == Array("renamed".utf8))
    }

    @Test func truncatedFrameIsAnErrorNotShortText() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("t")
        try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7 % 251) }).write(to: plain)
        let whole = try Data(contentsOf: try zstd(plain, folder: folder))
        let cut = folder.appendingPathComponent("cut.zst")
        try whole.prefix(whole.count / 2).write(to: cut)
        let error = #expect(throws: FileError.self) { try InputStream(path: cut.path).readAll() }
        #expect(error?.file == cut.path)
        #expect(error?.description.contains("zstd") == true, "\(String(describing: error))")
    }

    @Test func corruptFrameNamesTheFile() throws {
        let bogus: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD] + [UInt8](repeating: 0xFF, count: 64)
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.zst")
        try Data(bogus).write(to: file)
        let error = #expect(throws: FileError.self) { try InputStream(path: file.path).readAll() }
        #expect(error?.file == file.path)
    }

    @Test func missingFileIsAFileError() throws {
        let error = #expect(throws: FileError.self) { try InputStream(path: "/nonexistent/x.txt") }
        #expect(error?.description.hasPrefix("/nonexistent/x.txt: open failed") == true)
    }

    private func zstd(_ file: URL, folder: URL) throws -> URL {
        let out = folder.appendingPathComponent(file.lastPathComponent + ".zst")
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/zstd"), ["-q", "-f", "-19", file.path, "-o", out.path])
        #expect(result.status == 0, "\(result)")
        return out
    }
}
