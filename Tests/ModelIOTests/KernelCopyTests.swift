import Foundation
import Testing
import TestSupport
@testable import ModelIO

/// The copy path's system-level parts: file-to-file copies of unchanged bytes, consumed input
/// pages leaving the resident size, and written pages leaving the page cache.
@Suite struct KernelCopyTests {
    static func pseudoRandom(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    static func writeFile(_ bytes: [UInt8], in folder: URL, named name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: AtomicFileWriterTests.kinds)
    func copiedSlicesAreTheSourceBytesWhereverTheyStart(_ kind: AtomicFileWriter.TemporaryKind) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Self.pseudoRandom(9 << 20, seed: 1)
        let source = try ByteSource(mapping: try Self.writeFile(input, in: folder, named: "in.bin"))
        let destination = folder.appendingPathComponent("out.bin").path
        let writer = try AtomicFileWriter(destination: destination, temporary: kind)
        // Small intervals, so that writeback starts and written pages are released several times.
        writer.writebackInterval = 1 << 20
        let memory = ByteSource(bytes: Self.pseudoRandom(3 << 20, seed: 2))
        try writer.write([7, 7, 7])
        try writer.copy(try source.slice(offset: 12_345, length: 5 << 20))  // unaligned, in the kernel
        try writer.copy(try source.slice(offset: 1, length: 100))  // small: through the buffer
        try writer.copy(memory.whole)  // not a file: written from memory
        try writer.copy(try source.slice(offset: 0, length: source.count))
        try writer.overwrite([1, 2], at: 1)
        #expect(writer.position == UInt64(3 + (5 << 20) + 100 + (3 << 20) + input.count))
        try writer.commit()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: destination)))
        let expected = [7, 1, 2] + input[12_345..<(12_345 + (5 << 20))] + input[1..<101] + memory.whole.bytes + input
        #expect(written == expected)
    }

    @Test func wholePagesAreTheAlignedInsideOfARange() {
        let page = ByteSource.pageSize
        #expect(ByteSource.wholePages(offset: 0, length: 3 * page) == 0..<(3 * page))
        #expect(ByteSource.wholePages(offset: 1, length: 3 * page) == page..<(3 * page))
        #expect(ByteSource.wholePages(offset: page - 1, length: page + 2) == page..<(2 * page))
        #expect(ByteSource.wholePages(offset: 1, length: page) == nil)
        #expect(ByteSource.wholePages(offset: 5 * page, length: 0) == nil)
    }

    /// Resident KiB of the mapping that starts at `address`, from /proc/self/smaps.
    static func residentKiB(ofMappingAt address: UnsafeRawPointer) throws -> Int? {
        let start = String(UInt(bitPattern: address), radix: 16)
        // Read to the end: procfs files report a size of 0, which whole-file readers may trust.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let lines = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self).split(separator: "\n")
        guard let header = lines.firstIndex(where: { $0.hasPrefix(start + "-") }) else { return nil }
        let rss = lines[(header + 1)...].first { $0.hasPrefix("Rss:") }
        return rss.flatMap { Int($0.split(separator: " ")[1]) }
    }

    @Test func releasedPagesLeaveTheResidentSizeAndReadTheSameAgain() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Self.pseudoRandom(4 << 20, seed: 3)
        let source = try ByteSource(mapping: try Self.writeFile(input, in: folder, named: "in.bin"))
        let base = try #require(source.base)
        #expect(source.whole.bytes == input)
        let touched = try #require(try Self.residentKiB(ofMappingAt: base))
        #expect(touched >= 4 << 10)
        let firstHalf = try source.slice(offset: 0, length: 2 << 20)
        firstHalf.releaseMappedPages()
        #expect(try #require(try Self.residentKiB(ofMappingAt: base)) <= touched - (2 << 10))
        ByteSlice.releaseMappedPages(spanning: [try source.slice(offset: 3 << 20, length: 10), try source.slice(offset: 2 << 20, length: 10)])
        #expect(try #require(try Self.residentKiB(ofMappingAt: base)) <= touched - (3 << 10))
        #expect(source.whole.bytes == input)
    }
}
