import Foundation
import ModelIO
import Testing
import TestSupport

/// `llama3 chat --template llama3.1 [--date D]`: the Llama 3.1 Instruct format, with --jsonl and
/// --count; ids from the official template rendered by jinja2/transformers and encoded by tiktoken
/// (Fixtures/tokenizer/make_llama31_chat_goldens.py).
@Suite struct ChatTemplateTests {
    struct Golden {
        var messagesJSON: String
        var date: String?
        var ids: [Int]
    }

    static func goldens() throws -> [Golden] {
        let url = TestSupport.fixture("tokenizer/chat-llama3.1.jsonl")
        return try Data(contentsOf: url).split(separator: UInt8(ascii: "\n")).map { line in
            let value = try JSONParser.parse(Array(line), file: url.path)
            let messages = try #require(value["messages"])
            return Golden(
                messagesJSON: messages.serialized(), date: value["date"]?.stringValue,
                ids: (value["ids"]?.arrayValue ?? []).compactMap { $0.int64Value.map(Int.init) })
        }
    }

    static func dateArguments(_ golden: Golden) -> [String] { golden.date.map { ["--date", $0] } ?? [] }

    @Test func eachGoldenConversationGivesTheTemplatesIds() throws {
        for golden in try Self.goldens() {
            let result = try runLlama3(
                ["chat", "--template", "llama3.1"] + Self.dateArguments(golden) + ["-"], stdin: Data(golden.messagesJSON.utf8))
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText == golden.ids.map(String.init).joined(separator: " ") + "\n", "\(golden.messagesJSON)")
        }
    }

    @Test func jsonlPrintsOneLineOfIdsOrOneCountPerConversation() throws {
        let goldens = try Self.goldens().filter { $0.date == nil }
        let input = Data(goldens.map { #"{"messages":\#($0.messagesJSON)}"# }.joined(separator: "\n").utf8)
        let ids = try runLlama3(["chat", "--template", "llama3.1", "--jsonl", "-"], stdin: input)
        #expect(ids.status == 0, "\(ids)")
        #expect(ids.stdoutText == goldens.map { $0.ids.map(String.init).joined(separator: " ") + "\n" }.joined())
        let counts = try runLlama3(["chat", "--template", "llama3.1", "--jsonl", "--count", "-"], stdin: input)
        #expect(counts.stdoutText == goldens.map { "\($0.ids.count)\n" }.joined(), "\(counts)")
    }

    @Test func theDateChangesOnlyTheSystemHeader() throws {
        let golden = try #require(try Self.goldens().first { $0.date == nil })
        let input = Data(golden.messagesJSON.utf8)
        let explicit = try runLlama3(["chat", "--template", "llama3.1", "--date", "26 Jul 2024", "-"], stdin: input)
        #expect(explicit.stdoutText == golden.ids.map(String.init).joined(separator: " ") + "\n", "\(explicit)")
        let other = try runLlama3(["chat", "--template", "llama3.1", "--date", "1 Jan 2030", "-"], stdin: input)
        #expect(other.status == 0, "\(other)")
        let otherIDs = other.stdoutText.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        // "Today Date:" is 15724 2696 25 in the official vocabulary; the date follows it, then "\n\n" and <|eot_id|>.
        let todayDate = [15724, 2696, 25]
        let dateStart = try #require(golden.ids.indices.first { Array(golden.ids[$0...].prefix(3)) == todayDate }) + 3
        let endOfSystem = try #require(golden.ids.firstIndex(of: 128009))
        let otherEndOfSystem = try #require(otherIDs.firstIndex(of: 128009))
        #expect(Array(otherIDs.prefix(dateStart)) == Array(golden.ids.prefix(dateStart)))
        #expect(Array(otherIDs[otherEndOfSystem...]) == Array(golden.ids[endOfSystem...]))
        #expect(Array(otherIDs[dateStart..<otherEndOfSystem]) != Array(golden.ids[dateStart..<endOfSystem]))
    }

    @Test func dateWithoutTheLlama31TemplateIsAUsageError() throws {
        let result = try runLlama3(["chat", "--date", "1 Jan 2030", "-"], stdin: Data("[]".utf8))
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrText.contains("--date belongs to --template llama3.1"), "\(result)")
    }

    @Test func anEmptyConversationIsAnErrorNamingIt() throws {
        let single = try runLlama3(["chat", "--template", "llama3.1", "-"], stdin: Data("[]".utf8))
        #expect(single.status == 1)
        #expect(single.stderrText == "llama3: the llama3.1 template needs at least one message\n", "\(single)")
        let lines = try runLlama3(
            ["chat", "--template", "llama3.1", "--jsonl", "-"], stdin: Data("[{\"role\":\"user\",\"content\":\"a\"}]\n[]\n".utf8))
        #expect(lines.status == 1)
        #expect(lines.stdoutText == "", "\(lines)")
        #expect(lines.stderrText == "llama3: <stdin>: conversation 2 has no messages; the llama3.1 template needs at least one\n", "\(lines)")
    }
}
