import Foundation
import Testing
import TestSupport

/// `llama3 chat MESSAGES.json`: ids of the instruct format, or --count.
@Suite struct ChatTests {
    static let messages = Data(#"[{"role":"user","content":"Hello!"}]"#.utf8)
    // From tiktoken on "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
    static let ids = "128000 128006 882 128007 271 9906 0 128009 128006 78191 128007 271"

    @Test func printsIdsOfTheInstructFormat() throws {
        let result = try runLlama3(["chat", "-"], stdin: Self.messages)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText == Self.ids + "\n")
    }

    @Test func countPrintsTheNumberOfIds() throws {
        let result = try runLlama3(["chat", "--count", "-"], stdin: Self.messages)
        #expect(result.stdoutText == "12\n", "\(result)")
    }

    @Test func badMessagesFileIsAnErrorNamingIt() throws {
        let result = try runLlama3(["chat", "-"], stdin: Data("[1]".utf8))
        #expect(result.status == 1)
        #expect(result.stderrText.contains("<stdin>"), "\(result)")
    }
}
