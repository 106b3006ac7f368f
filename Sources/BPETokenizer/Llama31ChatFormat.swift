import ModelIO

/// The Llama 3.1 Instruct format, as the chat template of Meta's Llama-3.1-8B-Instruct renders
/// a conversation without tools (no `tools`, `custom_tools` or `builtin_tools`), with the
/// generation prompt:
///
///     <|begin_of_text|>
///     <|start_header_id|>system<|end_header_id|>\n\n
///         Cutting Knowledge Date: December 2023\nToday Date: DATE\n\n SYSTEM <|eot_id|>
///     per message: <|start_header_id|>ROLE<|end_header_id|>\n\n CONTENT <|eot_id|>
///     then:        <|start_header_id|>assistant<|end_header_id|>\n\n
///
/// The system header is always there. SYSTEM is the first message's content (trimmed) when that
/// message's role is "system", else empty; a later system message is an ordinary turn. CONTENT is
/// trimmed as Python's str.strip does (the template's `| trim`), except in a "tool" or "ipython"
/// turn, whose header says ipython and whose content is written as a JSON string (the template's
/// `tojson`, as transformers renders it: json.dumps without ASCII or HTML escaping).
///
/// Every stretch of text between two special tokens is encoded as one piece of ordinary text, as
/// tiktoken encodes the rendered string; special-token text inside content stays text.
public enum Llama31ChatFormat {
    /// The template's `date_string` when none is given.
    public static let defaultDate = "26 Jul 2024"

    public static func encode(_ messages: [ChatMessage], date: String, tokenizer: Tokenizer) throws -> [Int] {
        guard !messages.isEmpty else {
            // The template itself fails on messages[0] of an empty list.
            throw ToolError("the llama3.1 template needs at least one message")
        }
        var chat = try ChatFraming(tokenizer)
        func ordinary(_ text: String) -> [Int] { chat.ordinary(text) }
        func header(_ role: String) -> [Int] { chat.header(role) }

        var turns = messages[...]
        var system = ""
        if turns.first?.role == "system" {
            system = ChatFormat.trimmingPythonWhitespace(turns.removeFirst().content)
        }
        var ids = [chat.begin] + header("system")
        ids += ordinary("\n\nCutting Knowledge Date: December 2023\nToday Date: \(date)\n\n" + system)
        ids.append(chat.endOfTurn)
        for message in turns {
            if message.role == "tool" || message.role == "ipython" {
                ids += header("ipython") + ordinary("\n\n" + pythonJSONString(message.content))
            } else {
                ids += header(message.role) + ordinary("\n\n" + ChatFormat.trimmingPythonWhitespace(message.content))
            }
            ids.append(chat.endOfTurn)
        }
        return ids + header("assistant") + ordinary("\n\n")
    }

    /// `text` as Python's json.dumps(text, ensure_ascii=False) writes it: quotes, backslash and
    /// the C0 controls escaped (short forms where JSON has them), everything else as it is.
    static func pythonJSONString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Which instruct format `chat` renders.
public enum ChatTemplate: Equatable, Sendable {
    /// Llama 3 Instruct (`ChatFormat`).
    case llama3
    /// Llama 3.1 Instruct and later (`Llama31ChatFormat`), with the system header's "Today Date".
    case llama31(date: String)

    public func encode(_ messages: [ChatMessage], tokenizer: Tokenizer) throws -> [Int] {
        switch self {
        case .llama3: return try ChatFormat.encode(messages, tokenizer: tokenizer)
        case .llama31(let date): return try Llama31ChatFormat.encode(messages, date: date, tokenizer: tokenizer)
        }
    }
}
