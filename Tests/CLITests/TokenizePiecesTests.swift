import Foundation
import Testing
import TestSupport

/// `llama3 tokenize --pieces`: `ID<TAB>PIECE` per id, escaped so each line reads back to exactly
/// the piece's bytes.
@Suite struct TokenizePiecesTests {
    /// The inverse of the escapes Docs/CLI.md lists (`\\`, `\n`, `\t`, `\r`, `\xNN`, `\u{N}`).
    static func unescaped(_ text: Substring) -> [UInt8] {
        var out: [UInt8] = [], rest = text[...]
        while let first = rest.first {
            rest = rest.dropFirst()
            guard first == "\\", let kind = rest.first else { out += Array(String(first).utf8); continue }
            rest = rest.dropFirst()
            switch kind {
            case "n": out.append(0x0A)
            case "t": out.append(0x09)
            case "r": out.append(0x0D)
            case "x": out.append(UInt8(rest.prefix(2), radix: 16)!); rest = rest.dropFirst(2)
            case "u":
                let digits = rest.dropFirst().prefix { $0 != "}" }
                out += Array(String(Unicode.Scalar(UInt32(digits, radix: 16)!)!).utf8)
                rest = rest.dropFirst(digits.count + 2)
            default: out += Array(String(kind).utf8)
            }
        }
        return out
    }

    @Test func eachLineIsAnIdAndItsPiece() throws {
        // tiktoken: "hello world" is 15339 1917, " world" being one piece; "\n" is 198.
        let result = try runLlama3(["tokenize", "--pieces", "--bos"], stdin: Data("hello world\n".utf8))
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText == "128000\t<|begin_of_text|>\n15339\thello\n1917\t world\n198\t\\n\n", "\(result)")
    }

    @Test func partialCharactersAndBackslashesReadBackExactly() throws {
        let text = "🦙 a\\b\t\u{7}é"
        let result = try runLlama3(["tokenize", "--pieces"], stdin: Data(text.utf8))
        #expect(result.status == 0, "\(result)")
        let lines = result.stdoutText.split(separator: "\n")
        let bytes = lines.flatMap { Self.unescaped($0.split(separator: "\t", maxSplits: 1).last ?? "") }
        #expect(bytes == Array(text.utf8), "\(result)")
        #expect(!result.stdoutText.contains("\u{7}") && result.stdoutText.contains("\\x07"), "\(result)")
        let plain = try runLlama3(["tokenize"], stdin: Data(text.utf8))
        #expect(lines.map { $0.split(separator: "\t").first.map(String.init) ?? "" }.joined(separator: " ") + "\n" == plain.stdoutText)
    }

    @Test func piecesWithJSONIsAUsageError() throws {
        let result = try runLlama3(["tokenize", "--pieces", "--json"], stdin: Data("hi".utf8))
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrText.contains("--pieces prints text lines"), "\(result)")
    }
}
