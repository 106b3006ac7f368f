import BPETokenizer
import Testing

/// The Llama 3 instruct format against ids from tiktoken on the rendered text
/// (Fixtures/tokenizer/make_goldens.py).
@Suite struct ChatFormatTests {
    @Test(arguments: Goldens.chat)
    func idsEqualTheRenderedFormat(_ golden: Goldens.ChatCase) throws {
        let messages = golden.messages.map { ChatMessage(role: $0.role, content: $0.content) }
        let ids = try ChatFormat.encode(messages, tokenizer: Goldens.tokenizer)
        #expect(ids == golden.ids, "\(firstDifference(ids, golden.ids))")
    }

    @Test func messagesFileMustBeAnArrayOfRoleAndContent() throws {
        let good = try ChatFormat.messages(Array(#"[{"role":"user","content":"hi"}]"#.utf8), source: "m.json")
        #expect(good == [ChatMessage(role: "user", content: "hi")])
        #expect(throws: (any Error).self) { try ChatFormat.messages(Array(#"{"role":"user"}"#.utf8), source: "m.json") }
        do {
            _ = try ChatFormat.messages(Array(#"[{"role":"user","content":"a"},{"role":"user"}]"#.utf8), source: "m.json")
            Issue.record("a message without content was accepted")
        } catch {
            #expect("\(error)".contains("message 1"), "\(error)")
        }
    }
}
