import Foundation
import GGUF
import Testing
import TestSupport

/// Faults while writing (issue 14): SIGKILL at random moments, a full disk, an input removed
/// mid-run. Whatever happens, the destination is absent, complete (it verifies), or its old
/// content untouched.
@Suite(.serialized) struct FaultTests {
    let manager = FileManager.default

    /// A GGUF of `tensors` F32 [256, 4096] matrices (4 MiB each) of finite, varied values.
    static func writeInput(_ path: String, tensors: Int = 6) throws {
        var header = GGUFHeader(for: path)
        for index in 0..<tensors { try header.addTensor(name: "blk.\(index).ffn_up.weight", type: .f32, shape: [256, 4096]) }
        let writer = try GGUFWriter.begin(destination: path, header: header)
        var state: UInt32 = 12345
        for _ in 0..<tensors {
            var bytes = [UInt8]()
            bytes.reserveCapacity(256 * 4096 * 4)
            for _ in 0..<(256 * 4096) {
                state = state &* 1_664_525 &+ 1_013_904_223
                let value = Float(Int32(bitPattern: state) >> 8) / Float(1 << 23)
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            }
            try writer.writeTensor { try $0.write(bytes) }
        }
        try writer.finish()
    }

    /// Starts llama3, kills it with SIGKILL after `delay` seconds (if it is still running) and
    /// waits for it.
    static func runAndKill(_ arguments: [String], after delay: Double) throws {
        let process = Process()
        process.executableURL = TestSupport.llama3Binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func verifies(_ path: String) throws -> Bool {
        try runLlama3(["verify", path, "--quiet"]).status == 0
    }

    /// Delays spread over the length of one uninterrupted run, from a fixed seed.
    static func delays(count: Int, spanning seconds: Double) -> [Double] {
        var generator = SplitMix64(seed: 14)
        return (0..<count).map { _ in Double(generator.next() % 10_000) / 10_000 * seconds * 1.2 }
    }

    func timed(_ arguments: [String]) throws -> Double {
        let start = Date()
        let result = try runLlama3(arguments)
        #expect(result.status == 0, "\(result)")
        return Date().timeIntervalSince(start)
    }

    @Test(arguments: ["file", "quantize"])
    func killedWriteOfAFileLeavesItAbsentOrComplete(mode: String) throws {
        let folder = try TestSupport.temporaryFolder("faults")
        defer { try? manager.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.gguf").path
        try Self.writeInput(input)
        let output = folder.appendingPathComponent("out.gguf").path
        let arguments = mode == "file"
            ? ["convert", input, output, "--type", "f16", "--quiet"] : ["quantize", input, output, "--type", "q8_0", "--quiet"]
        let span = try timed(arguments)
        try manager.removeItem(atPath: output)
        var complete = 0
        for delay in Self.delays(count: 12, spanning: span) {
            try Self.runAndKill(arguments, after: delay)
            if manager.fileExists(atPath: output) {
                #expect(try verifies(output), "killed after \(delay) s: a partial \(output)")
                complete += 1
                try manager.removeItem(atPath: output)
            }
            let leftovers = try manager.contentsOfDirectory(atPath: folder.path).filter { $0 != "in.gguf" }
            #expect(leftovers.isEmpty, "killed after \(delay) s: \(leftovers)")
        }
        #expect(complete < 12, "no kill landed inside the run (it took \(span) s)")
    }

    @Test func killedWriteOfAFolderLeavesTheOldCheckpointOrTheNewOne() throws {
        let root = try TestSupport.temporaryFolder("faults")
        defer { try? manager.removeItem(at: root) }
        let input = root.appendingPathComponent("in.gguf").path
        try Self.writeInput(input)
        let folder = root.appendingPathComponent("hf").path
        #expect(try runLlama3(["convert", TestSupport.fixture("formats/plain-types.gguf").path, folder, "--quiet"]).status == 0)
        let old = try runLlama3(["checksum", folder]).stdoutText
        let arguments = ["convert", input, folder, "--shard-size", "9M", "--quiet"]
        let span = try timed(arguments)
        let new = try runLlama3(["checksum", folder]).stdoutText
        var sawOld = 0, sawNew = 0
        for delay in Self.delays(count: 12, spanning: span) {
            // Back to the old checkpoint, so every kill has something to leave untouched.
            #expect(try runLlama3(["convert", TestSupport.fixture("formats/plain-types.gguf").path, folder, "--quiet"]).status == 0)
            try Self.runAndKill(arguments, after: delay)
            let now = try runLlama3(["checksum", folder])
            #expect(now.status == 0 && (now.stdoutText == old || now.stdoutText == new), "killed after \(delay) s: \(now)")
            #expect(try verifies(folder), "killed after \(delay) s")
            if now.stdoutText == old { sawOld += 1 } else { sawNew += 1 }
        }
        #expect(sawOld > 0, "no kill landed inside the run (it took \(span) s)")
        // The next run removes what killed runs left beside the folder.
        #expect(try runLlama3(arguments).status == 0)
        #expect(try manager.contentsOfDirectory(atPath: root.path).sorted() == ["hf", "in.gguf"])
    }

    /// A full disk, with a file-size limit (RLIMIT_FSIZE, `ulimit -f`) standing in for a small
    /// tmpfs, which needs root to mount. SIGXFSZ is ignored, so the write fails with EFBIG as it
    /// would with ENOSPC, instead of killing the process.
    @Test(arguments: ["out.gguf", "hf"])
    func fullDiskGivesOneLineAndLeavesNothing(destination: String) throws {
        let folder = try TestSupport.temporaryFolder("faults")
        defer { try? manager.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.gguf").path
        try Self.writeInput(input, tensors: 2)
        let output = folder.appendingPathComponent(destination).path
        let script = "trap '' XFSZ; ulimit -f 2048; exec '\(TestSupport.llama3Binary.path)' convert '\(input)' '\(output)' --quiet"
        let result = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", script])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.hasPrefix("llama3: ") && result.stderrText.split(separator: "\n").count == 1, "\(result)")
        #expect(result.stderrText.contains("File too large"), "\(result)")
        #expect(try manager.contentsOfDirectory(atPath: folder.path) == ["in.gguf"])
    }

    /// An input removed at moments before and while it is read: an error (one line, nothing
    /// written) when it is gone before the open, else the map keeps its bytes and the run
    /// completes; never a crash.
    @Test func inputRemovedMidRunIsAnErrorOrReadToTheEndNeverACrash() throws {
        let folder = try TestSupport.temporaryFolder("faults")
        defer { try? manager.removeItem(at: folder) }
        let pristine = folder.appendingPathComponent("pristine.gguf").path
        try Self.writeInput(pristine)
        let input = folder.appendingPathComponent("in.gguf").path, output = folder.appendingPathComponent("out.gguf").path
        for delay in [0.0, 0.1, 0.4, 0.8, 1.2] {
            try? manager.removeItem(atPath: output)
            try manager.copyItem(atPath: pristine, toPath: input)
            let process = Process()
            process.executableURL = TestSupport.llama3Binary
            process.arguments = ["quantize", input, output, "--type", "q8_0", "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            try manager.removeItem(atPath: input)
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .exit, "removed after \(delay) s: killed by a signal")
            if process.terminationStatus == 0 {
                #expect(try verifies(output), "removed after \(delay) s")
            } else {
                #expect(process.terminationStatus == 1 && message.split(separator: "\n").count == 1, "removed after \(delay) s: \(message)")
                #expect(message.contains("no such file or folder"), "removed after \(delay) s: \(message)")
                #expect(!manager.fileExists(atPath: output))
            }
        }
    }
}
