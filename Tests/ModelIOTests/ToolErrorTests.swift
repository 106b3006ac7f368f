import Testing
import ModelIO

@Suite struct ToolErrorTests {
    @Test func printsItsMessageOnOneLine() {
        #expect(ToolError("expected one thing\nfound another").description == "expected one thing found another")
        #expect(String(describing: ToolError("plain")) == "plain")
    }
}
