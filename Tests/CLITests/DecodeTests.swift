import Foundation
import Testing
import TestSupport

/// `llama3 decode`: exactly the bytes, no newline added.
@Suite struct DecodeTests {
    @Test func argumentsGiveExactBytes() throws {
        let result = try runLlama3(["decode", "15339", "1917"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText == "hello world")
    }

    @Test func stdinIdsSeparatedByWhiteSpace() throws {
        let result = try runLlama3(["decode"], stdin: Data("128000 15339\n1917\n".utf8))
        #expect(result.stdoutText == "<|begin_of_text|>hello world", "\(result)")
    }

    @Test func unknownIdIsAnError() throws {
        let result = try runLlama3(["decode", "128256"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("128256"), "\(result)")
    }

    /// A piece that is half of a UTF-8 sequence decodes to that raw byte.
    @Test func partialUTF8PiecesDecodeToRawBytes() throws {
        let result = try runLlama3(["decode", "129"])  // rank 129 is the byte 0xC5
        #expect(result.stdout == Data([0xC5]), "\(result)")
    }
}

extension DecodeTests {
    @Test func stdinJSONArrayAsTokenizePrintsIt() throws {
        let result = try runLlama3(["decode"], stdin: Data("[15339,1917]\n".utf8))
        #expect(result.stdoutText == "hello world", "\(result)")
    }
}
