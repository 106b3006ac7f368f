import BPETokenizer
import ModelIO

/// `chat --jsonl`: one conversation per line, `{"messages": [...]}` or a bare array of
/// `{"role", "content"}` objects (blank lines skipped). Errors name the line and its byte offset.
enum ChatLines {
    static func conversations(_ bytes: [UInt8], source: String) throws -> [[ChatMessage]] {
        var conversations: [[ChatMessage]] = []
        var lineStart = 0, lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = Array(bytes[lineStart..<lineEnd])
            defer { lineStart = lineEnd + 1 }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            conversations.append(try messages(line, source: source, lineNumber: lineNumber, offset: lineStart))
        }
        return conversations
    }

    private static func messages(_ line: [UInt8], source: String, lineNumber: Int, offset: Int) throws -> [ChatMessage] {
        let expected = "expected line \(lineNumber) to be {\"messages\": [...]} or an array of {\"role\", \"content\"} messages"
        let value: JSONValue
        do {
            value = try JSONParser.parse(line, file: source)
        } catch let error as FileError {
            throw FileError(file: source, offset: UInt64(offset) + (error.offset ?? 0), "line \(lineNumber): \(error.message)")
        }
        guard let items = value.arrayValue ?? value["messages"]?.arrayValue else {
            throw FileError(file: source, offset: offset, expected)
        }
        return try items.enumerated().map { index, item in
            guard let role = item["role"]?.stringValue, let content = item["content"]?.stringValue else {
                throw FileError(
                    file: source, offset: offset,
                    "line \(lineNumber): expected message \(index) (counting from 0) to be an object with \"role\" and \"content\" strings")
            }
            return ChatMessage(role: role, content: content)
        }
    }
}
