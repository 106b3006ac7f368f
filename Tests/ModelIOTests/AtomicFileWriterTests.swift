import Foundation
import Testing
import TestSupport
@testable import ModelIO

@Suite struct AtomicFileWriterTests {
    static let kinds: [AtomicFileWriter.TemporaryKind] = [.automatic, .hiddenName]

    @Test(arguments: kinds)
    func committedFileHasEveryByteAndNoLeftovers(_ kind: AtomicFileWriter.TemporaryKind) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("out.bin").path
        let writer = try AtomicFileWriter(destination: destination, temporary: kind)
        let big = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try writer.write([1, 2, 3, 4])
        try writer.write(big)
        try writer.write([5])
        try writer.overwrite([9, 9], at: 1)
        #expect(!FileManager.default.fileExists(atPath: destination), "visible before commit")
        try writer.commit()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: destination)))
        #expect(written == [1, 9, 9, 4] + big + [5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.bin"])
    }

    @Test(arguments: kinds)
    func errorMidWriteLeavesNothing(_ kind: AtomicFileWriter.TemporaryKind) throws {
        struct Interrupted: Error {}
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("out.bin").path
        func failingJob() throws {
            let writer = try AtomicFileWriter(destination: destination, temporary: kind)
            try writer.write([UInt8](repeating: 7, count: 2 << 20))
            throw Interrupted()
        }
        #expect(throws: Interrupted.self) { try failingJob() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }

    @Test func replacesAnExistingDestinationAtomically() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("out.bin").path
        try Data([1]).write(to: URL(fileURLWithPath: destination))
        let writer = try AtomicFileWriter(destination: destination)
        try writer.write([2, 3])
        #expect(try Data(contentsOf: URL(fileURLWithPath: destination)) == Data([1]))
        try writer.commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: destination)) == Data([2, 3]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.bin"])
    }

    @Test func refusesToOverwriteAnInputEvenThroughASymlink() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("model.gguf").path
        let alias = folder.appendingPathComponent("alias.gguf").path
        try Data([1, 2]).write(to: URL(fileURLWithPath: input))
        try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: input)
        let error = #expect(throws: FileError.self) { try AtomicFileWriter(destination: alias, inputs: [input]) }
        #expect(error?.description.contains("refusing to overwrite an input") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == Data([1, 2]))
    }

    @Test func refusesAFolderAsDestination() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: FileError.self) { try AtomicFileWriter(destination: folder.path) }
    }

    static let killCases: [(kind: AtomicFileWriter.TemporaryKind, signal: Int32)] = [
        (.automatic, SIGKILL), (.automatic, SIGTERM), (.hiddenName, SIGTERM), (.hiddenName, SIGINT),
    ]

    @Test(arguments: killCases)
    func killedWriterLeavesNothingBehind(_ killCase: (kind: AtomicFileWriter.TemporaryKind, signal: Int32)) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("out.bin").path
        let probe = TestSupport.llama3Binary.deletingLastPathComponent().appendingPathComponent("atomic-write-probe")
        let process = Process()
        process.executableURL = probe
        process.arguments = [destination, killCase.kind == .hiddenName ? "hiddenName" : "automatic"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = output.fileHandleForReading.readLine()
        #expect(line == "ready 3145728", "probe said \(line ?? "nothing")")
        if killCase.kind == .hiddenName {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(names.count == 1 && names[0].hasPrefix(".out.bin.llama3-tmp-"), "\(names)")
        }
        kill(process.processIdentifier, killCase.signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == killCase.signal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }
}

extension FileHandle {
    /// One line of text (without its newline), read byte by byte so nothing after it is consumed.
    func readLine() -> String? {
        var bytes: [UInt8] = []
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte[0] == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte[0])
        }
    }
}
