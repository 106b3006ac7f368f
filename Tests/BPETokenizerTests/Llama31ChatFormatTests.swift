import BPETokenizer
import ModelIO
import Testing

/// The Llama 3.1 Instruct format against the official chat template rendered by transformers and
/// jinja2 and encoded by tiktoken (Fixtures/tokenizer/make_llama31_chat_goldens.py).
@Suite struct Llama31ChatFormatTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var messages: [ChatMessage]
        var date: String?
        var ids: [Int]
        var testDescription: String {
            messages.map(\.role).joined(separator: ",") + " date " + (date ?? "default") + ": " + (messages.last?.content.prefix(20) ?? "")
        }
    }

    static let cases: [Case] = Goldens.lines("tokenizer/chat-llama3.1.jsonl").map { value in
        Case(
            messages: (value["messages"]?.arrayValue ?? []).map {
                ChatMessage(role: $0["role"]?.stringValue ?? "", content: $0["content"]?.stringValue ?? "")
            },
            date: value["date"]?.stringValue,
            ids: Goldens.integers(value["ids"]))
    }

    @Test(arguments: cases)
    func idsEqualTheOfficialTemplate(_ golden: Case) throws {
        let date = golden.date ?? Llama31ChatFormat.defaultDate
        let ids = try Llama31ChatFormat.encode(golden.messages, date: date, tokenizer: Goldens.tokenizer)
        #expect(ids == golden.ids, "\(firstDifference(ids, golden.ids))")
    }

    @Test func theGoldensCoverTheDefaultDateAndOthers() {
        #expect(Self.cases.count >= 10)
        #expect(Self.cases.contains { $0.date == nil })
        #expect(Self.cases.contains { $0.date != nil && $0.date != Llama31ChatFormat.defaultDate })
    }

    @Test func anEmptyConversationIsRefusedAsTheTemplateRefusesIt() {
        #expect(throws: ToolError("the llama3.1 template needs at least one message")) {
            try Llama31ChatFormat.encode([], date: Llama31ChatFormat.defaultDate, tokenizer: Goldens.tokenizer)
        }
    }

    @Test func theLlama3TemplateIsTheLlama3Format() throws {
        let messages = [ChatMessage(role: "user", content: "Hi")]
        let viaTemplate = try ChatTemplate.llama3.encode(messages, tokenizer: Goldens.tokenizer)
        #expect(viaTemplate == (try ChatFormat.encode(messages, tokenizer: Goldens.tokenizer)))
    }
}
