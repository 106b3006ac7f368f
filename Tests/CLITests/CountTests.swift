import Foundation
import Testing
import TestSupport

/// `llama3 count`: the number alone for stdin, `N<TAB>path` and a total for files, like wc.
@Suite struct CountTests {
    @Test func stdinPrintsJustTheNumber() throws {
        let result = try runLlama3(["count"], stdin: Data("hello world".utf8))
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText == "2\n")
    }

    @Test func filesPrintCountsAndATotal() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.txt"), b = folder.appendingPathComponent("b.txt")
        try Data("hello world".utf8).write(to: a)
        try Data("hello".utf8).write(to: b)
        let one = try runLlama3(["count", a.path])
        #expect(one.stdoutText == "2\t\(a.path)\n", "\(one)")
        let two = try runLlama3(["count", a.path, b.path])
        #expect(two.stdoutText == "2\t\(a.path)\n1\t\(b.path)\n3\ttotal\n", "\(two)")
    }

    @Test func zstdInputIsReadTransparently() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = folder.appendingPathComponent("t.txt")
        try Data(String(repeating: "Some text, 123 numbers.\n", count: 1000).utf8).write(to: plain)
        let zstd = try runProcess(URL(fileURLWithPath: "/usr/bin/zstd"), ["-q", plain.path])
        #expect(zstd.status == 0, "\(zstd)")
        let fromPlain = try runLlama3(["count", plain.path])
        let fromZstd = try runLlama3(["count", plain.path + ".zst"])
        #expect(fromPlain.stdoutText.split(separator: "\t").first == fromZstd.stdoutText.split(separator: "\t").first, "\(fromZstd)")
    }

    /// Large input is cut at safe points for threads and read in blocks: counts never change.
    @Test func countsDoNotDependOnThreads() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("big.txt")
        var text = ""
        let words = ["Hello", " world", "!\n", "  ", "don't", " 12345", "\u{00A0}", "naïve", " 中文", "\r\n", "\t", "ok."]
        var state: UInt64 = 42
        while text.utf8.count < 4_500_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            text += words[Int(state >> 33) % words.count]
        }
        try Data(text.utf8).write(to: file)
        let counts = try [1, 3].map { threads in
            try runLlama3(["count", "--threads", String(threads), file.path]).stdoutText
        }
        #expect(Set(counts).count == 1, "\(counts)")
    }

    @Test func jsonListsFilesAndTotal() throws {
        let result = try runLlama3(["count", "--json"], stdin: Data("hello world".utf8))
        #expect(result.stdoutText == "{\"files\":[{\"path\":\"-\",\"tokens\":2}],\"total\":2}\n", "\(result)")
    }

    /// One long piece costs a few bytes per byte of memory, not 33 (issue 14): `count` of 2 MiB of
    /// one letter (one piece) against `count` of a short text, peak RSS from GNU time (installed
    /// by scripts/setup.sh). About 5 bytes per byte now; 33 before, where 64 MiB took 2.1 GiB.
    @Test func oneLongPieceCostsAFewBytesPerByte() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let long = folder.appendingPathComponent("long.txt"), short = folder.appendingPathComponent("short.txt")
        let size = 2 << 20
        try Data(repeating: UInt8(ascii: "a"), count: size).write(to: long)
        try Data("hello world\n".utf8).write(to: short)
        func peakKilobytes(_ file: URL) throws -> Int {
            let result = try runProcess(
                URL(fileURLWithPath: "/usr/bin/time"), ["-f", "%M", TestSupport.llama3Binary.path, "count", file.path])
            #expect(result.status == 0, "\(result)")
            return Int(result.stderrText.split(separator: "\n").last ?? "") ?? Int.max / 2
        }
        let grown = try peakKilobytes(long) - peakKilobytes(short)
        #expect(grown * 1024 < 10 * size, "\(grown) KB more for \(size) bytes of one piece")
    }
}

/// `count --jsonl-field NAME [--per-line]`.
@Suite struct CountJSONLinesTests {
    static let lines = Data("{\"text\": \"hello world\", \"n\": 1}\n\n{\"text\": \"hello\"}\r\n{\"other\": 2, \"text\": \"\"}\n".utf8)

    @Test func totalOfTheField() throws {
        let result = try runLlama3(["count", "--jsonl-field", "text"], stdin: Self.lines)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText == "3\n")
    }

    @Test func perLinePrintsOneCountPerJSONLine() throws {
        let result = try runLlama3(["count", "--jsonl-field", "text", "--per-line"], stdin: Self.lines)
        #expect(result.stdoutText == "2\n1\n0\n", "\(result)")
    }

    @Test func lineWithoutTheFieldIsAnErrorNamingTheLine() throws {
        let result = try runLlama3(["count", "--jsonl-field", "text"], stdin: Data("{\"text\": \"a\"}\n{\"body\": \"b\"}\n".utf8))
        #expect(result.status == 1)
        #expect(result.stderrText.contains("<stdin>: at byte 14: line 2 has no string field \"text\""), "\(result)")
    }

    @Test func badJSONNamesTheLineAndTheByte() throws {
        let result = try runLlama3(["count", "--jsonl-field", "text"], stdin: Data("{\"text\": \"a\"}\n{\"text\": \"b\"\n".utf8))
        #expect(result.status == 1)
        #expect(result.stderrText.contains("line 2"), "\(result)")
    }

    @Test func perLineWithoutAFieldIsAUsageError() throws {
        let result = try runLlama3(["count", "--per-line"], stdin: Data())
        #expect(result.status == 2, "\(result)")
    }
}

extension CountTests {
    /// UTF-8 is checked by the workers in parallel; the error still names the first bad byte.
    @Test func invalidByteDeepInALargeFileIsNamedExactly() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.txt")
        var bytes = Array(String(repeating: "Some words, and more words.\n", count: 180_000).utf8)  // 5 MB
        bytes[4_700_001] = 0xFF
        bytes[4_900_000] = 0xC0
        try Data(bytes).write(to: file)
        for threads in ["1", "3"] {
            let result = try runLlama3(["count", "--threads", threads, file.path])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("\(file.path): at byte 4700001: expected UTF-8 text"), "\(result)")
        }
    }
}
