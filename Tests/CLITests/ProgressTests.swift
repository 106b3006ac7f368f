import Foundation
import Testing
import TestSupport

/// The progress line (Docs/CLI.md, "Conventions"): on a terminal's stderr only, never with
/// --quiet, never on a pipe.
@Suite struct ProgressTests {
    /// Text big enough that counting it takes well over the half second before a line appears.
    static func bigText(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("big.txt").path
        let line = "Counting tokens of a long text, line after line, 1234567890 times.\n"
        try Data(String(repeating: line, count: 400_000).utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `llama3 ARGUMENTS` under `script`, which gives it a pseudo-terminal for stdout and
    /// stderr; returns what the terminal showed.
    static func runOnATerminal(_ arguments: [String]) throws -> ProcessResult {
        let command = ([TestSupport.llama3Binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"])
    }

    @Test func countShowsProgressOnATerminalOnly() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.bigText(in: folder)
        let shown = try Self.runOnATerminal(["count", path])
        #expect(shown.status == 0, "\(shown)")
        // `counting P% DONE/TOTAL MB, RATE MB/s, N s left`, redrawn after a carriage return.
        let line = try #require(shown.stdoutText.split(separator: "\r").first { $0.hasPrefix("counting ") }, "\(shown)")
        #expect(line.contains("% ") && line.contains("/26.8 MB, ") && line.contains(" MB/s, ") && line.contains(" s left"), "\(line)")
        let quiet = try Self.runOnATerminal(["count", "--quiet", path])
        #expect(quiet.status == 0 && !quiet.stdoutText.contains("counting"), "\(quiet)")
        let piped = try runLlama3(["count", path])
        #expect(piped.status == 0 && piped.stderrText.isEmpty, "\(piped)")
    }

    @Test func nothingAppearsOnAPipe() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.bigText(in: folder)
        let gguf = folder.appendingPathComponent("copy.gguf").path
        for arguments in [
            ["tokenize", path], ["convert", TestSupport.fixture("formats/all-types.gguf").path, gguf, "--json"],
            ["checksum", gguf], ["verify", gguf],
        ] {
            let result = try runLlama3(arguments)
            #expect(result.status == 0 && result.stderrText.isEmpty, "\(arguments): \(result)")
        }
    }
}
