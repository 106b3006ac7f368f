import ModelIO

/// One turn of a conversation.
public struct ChatMessage: Equatable, Sendable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// The Llama 3 instruct format, as Meta's original ChatFormat and the Hugging Face Llama 3
/// Instruct template render it:
///
///     <|begin_of_text|>
///     per message: <|start_header_id|>ROLE<|end_header_id|>\n\n CONTENT <|eot_id|>
///     then:        <|start_header_id|>assistant<|end_header_id|>\n\n
///
/// CONTENT is trimmed of white space as Python's str.strip does (the template's `| trim`), and
/// is ordinary text: special-token text inside a message stays text, as in Meta's encoder.
public enum ChatFormat {
    public static func encode(_ messages: [ChatMessage], tokenizer: Tokenizer) throws -> [Int] {
        var chat = try ChatFraming(tokenizer)
        let blankLine = chat.ordinary("\n\n")
        var ids = [chat.begin]
        for message in messages {
            ids += chat.header(message.role) + blankLine
            ids += chat.ordinary(trimmingPythonWhitespace(message.content))
            ids.append(chat.endOfTurn)
        }
        return ids + chat.header("assistant") + blankLine
    }

    /// Reads a JSON array of `{"role": ..., "content": ...}` objects.
    public static func messages(_ bytes: [UInt8], source: String) throws -> [ChatMessage] {
        guard let items = try JSONParser.parse(bytes, file: source).arrayValue else {
            throw FileError(file: source, offset: 0, "expected a JSON array of {\"role\", \"content\"} messages")
        }
        return try items.enumerated().map { index, item in
            guard let role = item["role"]?.stringValue, let content = item["content"]?.stringValue else {
                throw FileError(file: source, "expected message \(index) (counting from 0) to be an object with \"role\" and \"content\" strings")
            }
            return ChatMessage(role: role, content: content)
        }
    }

    /// `text` without leading and trailing white space in Python's sense (`str.isspace`).
    static func trimmingPythonWhitespace(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !PythonWhitespace.contains($0.value) }),
            let last = scalars.lastIndex(where: { !PythonWhitespace.contains($0.value) })
        else { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[first...last])
        return String(out)
    }
}

/// Python's `str.isspace` (used by `str.strip` and Meta's chunking): White_Space plus
/// U+001C ... U+001F, which Unicode does not call white space but Python does.
enum PythonWhitespace {
    static func contains(_ value: UInt32) -> Bool {
        if (0x1C...0x1F).contains(value) { return true }
        let cls = ScalarClass.of(value)
        return cls == .space || cls == .newline
    }
}

extension Vocabulary {
    /// The id of a special token the format needs, or an error saying which naming is in use.
    public func requireSpecial(_ name: String) throws -> Int {
        guard let id = specialID(named: name) else {
            throw FileError(file: "vocabulary", "has no special token \(name) (special-token names: \(specialTokenNaming))")
        }
        return id
    }
}

/// The special ids both Llama 3 chat formats frame a conversation with, and one encoder reused
/// for all of its ordinary text.
struct ChatFraming {
    let begin: Int
    let startHeader: Int
    let endHeader: Int
    let endOfTurn: Int
    private let tokenizer: Tokenizer
    private var encoder: BytePairEncoder

    init(_ tokenizer: Tokenizer) throws {
        let vocabulary = tokenizer.vocabulary
        begin = try vocabulary.requireSpecial(Llama3SpecialTokens.beginOfText)
        startHeader = try vocabulary.requireSpecial(Llama3SpecialTokens.startHeader)
        endHeader = try vocabulary.requireSpecial(Llama3SpecialTokens.endHeader)
        endOfTurn = try vocabulary.requireSpecial(Llama3SpecialTokens.endOfTurn)
        self.tokenizer = tokenizer
        encoder = tokenizer.makeEncoder()
    }

    mutating func ordinary(_ text: String) -> [Int] {
        tokenizer.encode(UTF8Text(text), options: .init(), encoder: &encoder)
    }

    /// `<|start_header_id|>ROLE<|end_header_id|>`.
    mutating func header(_ role: String) -> [Int] { [startHeader] + ordinary(role) + [endHeader] }
}
