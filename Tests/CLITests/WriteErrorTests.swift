import Foundation
import Testing
import TestSupport

/// Every write to stdout and stderr is checked (Docs/CLI.md, "Conventions"): a full disk or a
/// closed stdout is one line `llama3: write error: REASON` and exit 1, a broken pipe with SIGPIPE
/// ignored is EPIPE like any other failure, and a closed stderr costs the message, not a crash.
@Suite struct WriteErrorTests {
    /// Runs `llama3 ARGUMENTS` from bash as `PREFIX; llama3 ARGUMENTS SUFFIX`; the status is the
    /// shell's, which `set -o pipefail` makes llama3's in a pipeline ending in `head`.
    static func runInShell(_ arguments: [String], prefix: String = "", suffix: String, stdin: Data? = nil) throws -> ProcessResult {
        let script = "set -o pipefail; \(prefix) \"$0\" \"$@\" \(suffix)"
        return try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", script, TestSupport.llama3Binary.path] + arguments, stdin: stdin)
    }

    /// A GGUF with checksums (convert's copy of a gguf-py fixture) for checksum, verify, inspect.
    static func convertedFixture(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("copy.gguf").path
        let result = try runLlama3(["convert", TestSupport.fixture("formats/all-types.gguf").path, path, "--quiet"])
        #expect(result.status == 0, "\(result)")
        return path
    }

    /// One invocation per command that prints on stdout; the text each prints is non-empty.
    static func printingCommands(in folder: URL) throws -> [(arguments: [String], stdin: Data?)] {
        let gguf = try convertedFixture(in: folder)
        let messages = folder.appendingPathComponent("messages.json")
        try Data(#"[{"role":"user","content":"Hello!"}]"#.utf8).write(to: messages)
        return [
            (["tokenize"], Data("hello world".utf8)),
            (["count"], Data("hello world".utf8)),
            (["decode", "15339", "1917"], nil),
            (["chat", messages.path], nil),
            (["chat", "--count", messages.path], nil),
            (["convert", TestSupport.fixture("formats/all-types.gguf").path, folder.appendingPathComponent("json.gguf").path, "--json"], nil),
            (["inspect", gguf], nil),
            (["inspect", "--json", gguf], nil),
            (["checksum", gguf], nil),
            (["checksum", "--json", gguf], nil),
            (["verify", gguf], nil),
            (["verify", "--json", gguf], nil),
            (["--help"], nil),
            (["--version"], nil),
            (["help", "count"], nil),
            (["vocab", "path"], nil),
            (["tokenize", "--pieces"], Data("hello world".utf8)),
        ]
    }

    @Test func fullDiskIsAWriteErrorForEveryCommand() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (arguments, stdin) in try Self.printingCommands(in: folder) {
            let result = try Self.runInShell(arguments, suffix: "> /dev/full", stdin: stdin)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stderrText == "llama3: write error: No space left on device\n", "\(arguments): \(result)")
        }
    }

    @Test func closedStdoutIsAWriteErrorForEveryCommand() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (arguments, stdin) in try Self.printingCommands(in: folder) {
            let result = try Self.runInShell(arguments, suffix: ">&-", stdin: stdin)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stderrText == "llama3: write error: Bad file descriptor\n", "\(arguments): \(result)")
        }
    }

    @Test func vocabInstallReportIntoAFullDiskIsAWriteError() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for suffix in ["> /dev/full", ">&-"] {
            let result = try Self.runInShell(
                ["vocab", "install", TestSupport.officialVocabulary.path], prefix: "XDG_DATA_HOME='\(folder.path)'", suffix: suffix)
            #expect(result.status == 1, "\(suffix): \(result)")
            #expect(result.stderrText.hasPrefix("llama3: write error: "), "\(suffix): \(result)")
        }
    }

    @Test func closedStderrExitsOneInsteadOfCrashing() throws {
        // An error (a missing file) and a usage error, each with nowhere to be said.
        let missing = try Self.runInShell(["count", "/no/such/file"], suffix: "2>&-")
        #expect(missing.status == 1, "\(missing)")
        let usage = try Self.runInShell(["count", "--threads", "0"], suffix: "2>&-")
        #expect(usage.status == 2, "\(usage)")
        // A warning that cannot be written is a failed write, exit 1, with the ids still printed.
        let warning = try Self.runInShell(["tokenize", "--special", "--bos"], suffix: "2>&-", stdin: Data("<|begin_of_text|>hi".utf8))
        #expect(warning.status == 1, "\(warning)")
    }

    /// Enough text that the ids outgrow the pipe and `head` has long gone when llama3 writes.
    static func longText() -> Data {
        Data(String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 40_000).utf8)
    }

    @Test func brokenPipeWithSIGPIPEIgnoredIsAWriteError() throws {
        let result = try Self.runInShell(["tokenize"], prefix: "trap '' PIPE;", suffix: "| head -c 10 > /dev/null", stdin: Self.longText())
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText == "llama3: write error: Broken pipe\n", "\(result)")
    }

    @Test func brokenPipeWithSIGPIPEAtItsDefaultEndsQuietly() throws {
        // bash cannot reset a signal that was ignored when it started, so check it was not
        // (SigIgn is a hex mask of ignored signals; SIGPIPE is bit 13 - 1).
        let status = try runProcess(URL(fileURLWithPath: "/bin/cat"), ["/proc/self/status"]).stdoutText
        let ignored = status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") }
            .flatMap { UInt64($0.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16) }
        try #require(ignored.map { $0 & (1 << (UInt64(SIGPIPE) - 1)) == 0 } == true, "children of this test runner ignore SIGPIPE")
        let result = try Self.runInShell(["tokenize"], suffix: "| head -c 10 > /dev/null", stdin: Self.longText())
        #expect(result.status == 128 + SIGPIPE, "\(result)")
        #expect(result.stderrText.isEmpty, "\(result)")
    }

    @Test(.requiresFixtureVenv) func quantizeSummaryIntoAFullDiskIsAWriteError() throws {
        let folder = try QuantizeCommandTests.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.gguf").path
        for extra in [[], ["--json"]] {
            let output = folder.appendingPathComponent("out\(extra.count).gguf").path
            let result = try Self.runInShell(["quantize", input, output, "--type", "q8_0"] + extra, suffix: "> /dev/full")
            #expect(result.status == 1, "\(extra): \(result)")
            #expect(result.stderrText == "llama3: write error: No space left on device\n", "\(extra): \(result)")
        }
    }
}
