import Foundation
import Testing
import TestSupport

/// `llama3 chat --jsonl`: one conversation per line, ids or counts per line.
@Suite struct ChatLinesTests {
    static let lines = Data((#"{"messages":[{"role":"user","content":"Hello!"}]}"# + "\n\n" + #"[{"role":"user","content":"Hello!"}]"# + "\n").utf8)

    @Test func printsOneLineOfIdsPerConversation() throws {
        let result = try runLlama3(["chat", "--jsonl", "-"], stdin: Self.lines)
        #expect(result.status == 0, "\(result)")
        // Both lines hold the conversation whose tiktoken ids ChatTests pins.
        #expect(result.stdoutText == ChatTests.ids + "\n" + ChatTests.ids + "\n", "\(result)")
    }

    @Test func countPrintsOneCountPerLineAndJSONAddsTheTotal() throws {
        let counts = try runLlama3(["chat", "--jsonl", "--count", "-"], stdin: Self.lines)
        #expect(counts.stdoutText == "12\n12\n", "\(counts)")
        let json = try runLlama3(["chat", "--jsonl", "--count", "--json", "-"], stdin: Self.lines)
        #expect(json.stdoutText == "{\"lines\":[12,12],\"total\":24}\n", "\(json)")
    }

    @Test func badLineIsNamedWithItsOffset() throws {
        let input = Data(("[]\n" + #"{"text":"hi"}"# + "\n").utf8)
        let result = try runLlama3(["chat", "--jsonl", "-"], stdin: input)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText == "llama3: <stdin>: at byte 3: expected line 2 to be {\"messages\": [...]} or an array of {\"role\", \"content\"} messages\n", "\(result)")
    }
}
