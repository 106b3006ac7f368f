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

/// XXH3 digests equal the `xxhsum` tool's on the same bytes.
@Suite struct XXH3Tests {
    static let inputs: [[UInt8]] = [
        [], Array("hello".utf8), [UInt8](repeating: 0, count: 240), [UInt8](repeating: 0xAB, count: 241),
        (0..<1_000_003).map { UInt8(truncatingIfNeeded: $0 &* 40503) },
    ]

    @Test(arguments: inputs)
    func digestsMatchXxhsum(_ bytes: [UInt8]) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("data")
        try Data(bytes).write(to: file)
        let h3 = try runProcess(URL(fileURLWithPath: "/usr/bin/xxhsum"), ["-H3", file.path]).stdoutText
        let h2 = try runProcess(URL(fileURLWithPath: "/usr/bin/xxhsum"), ["-H2", file.path]).stdoutText
        // -H3 prints "XXH3 (path) = hex"; -H2 prints "hex  path".
        let expected64 = h3.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let expected128 = h2.split(separator: " ").first.map(String.init)
        #expect(hex16(XXH3.hash64(bytes)) == expected64)
        #expect(XXH3.hash128(bytes).description == expected128)

        let stream64 = XXH3Stream64(), stream128 = XXH3Stream128()
        for start in stride(from: 0, to: bytes.count, by: 65_537) {
            let piece = Array(bytes[start..<min(bytes.count, start + 65_537)])
            stream64.update(piece)
            stream128.update(piece)
        }
        #expect(hex16(stream64.digest) == expected64)
        #expect(stream128.digest.description == expected128)
    }
}

@Suite struct ParallelForTests {
    @Test(arguments: [1, 2, 3, 8, 64])
    func everyIndexRunsOnceWhateverTheThreadCount(_ threads: Int) throws {
        let results = ResultBox(count: 1000)
        try parallelFor(0..<1000, threads: threads) { index in results.set(index, index * index) }
        #expect(results.values == (0..<1000).map { $0 * $0 })
    }

    @Test func firstErrorIsRethrown() {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try parallelFor(0..<10_000, threads: 4) { index in if index == 77 { throw Boom() } }
        }
    }
}

/// Distinct indices write distinct slots, so no lock is needed; the test only reads after the join.
private final class ResultBox: @unchecked Sendable {
    private var storage: [Int]
    init(count: Int) { storage = [Int](repeating: -1, count: count) }
    func set(_ index: Int, _ value: Int) { storage.withUnsafeMutableBufferPointer { $0[index] = value } }
    var values: [Int] { storage }
}
