import Foundation
import Testing
import TestSupport
@testable import ModelIO

/// zstd skippable frames (magic 0x184D2A5?, a 4-byte size, that many bytes) are valid zstd
/// input that `zstd -d` passes over; the stream reads them the same way, the `zstd` tool being
/// the reference for every case.
@Suite struct SkippableFrameTests {
    static func skippableFrame(magicLowNibble: UInt8, payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x50 | magicLowNibble, 0x2A, 0x4D, 0x18]
        withUnsafeBytes(of: UInt32(payload.count).littleEndian) { frame += $0 }
        return frame + payload
    }

    func compressed(_ text: String, in folder: URL) throws -> [UInt8] {
        let plain = folder.appendingPathComponent("plain-\(text.count)")
        try Data(text.utf8).write(to: plain)
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/zstd"), ["-q", "-c", plain.path])
        #expect(result.status == 0, "\(result)")
        return Array(result.stdout)
    }

    /// What the zstd tool makes of `bytes`, and what InputStream makes of them.
    func bothReadings(_ bytes: [UInt8], in folder: URL) throws -> (tool: ProcessResult, stream: Result<[UInt8], Error>) {
        let file = folder.appendingPathComponent("input.zst")
        try Data(bytes).write(to: file)
        let tool = try runProcess(URL(fileURLWithPath: "/usr/bin/zstd"), ["-q", "-d", "-c", file.path])
        return (tool, Result { try InputStream(path: file.path).readAll() })
    }

    @Test(arguments: ["first", "last", "between", "alone"])
    func skippableFramesAreSkippedAsTheZstdToolSkipsThem(place: String) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let skip = Self.skippableFrame(magicLowNibble: 0xE, payload: Array("not text \u{1B}\0".utf8))
        let hello = try compressed("Hello, ", in: folder), world = try compressed("world\n", in: folder)
        let bytes: [UInt8] = switch place {
        case "first": skip + hello + world
        case "last": hello + world + skip
        case "between": hello + skip + world
        default: skip
        }
        let (tool, stream) = try bothReadings(bytes, in: folder)
        #expect(tool.status == 0, "\(tool)")
        #expect(try stream.get() == Array(tool.stdout), "\(place)")
    }

    @Test func truncatedSkippableFrameIsAnErrorAsForTheZstdTool() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frame = Self.skippableFrame(magicLowNibble: 0, payload: [UInt8](repeating: 7, count: 100))
        let (tool, stream) = try bothReadings(Array(frame.prefix(20)), in: folder)
        #expect(tool.status != 0, "\(tool)")
        #expect(throws: FileError.self) { try stream.get() }
    }
}
