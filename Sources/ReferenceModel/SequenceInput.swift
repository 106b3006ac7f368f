import BPETokenizer
import ModelIO

/// The ids a command evaluates: given directly, read from a file of ids, or tokenized text.
public enum SequenceInput: Sendable {
    /// Decimal ids separated by white space ("1 2 3").
    case tokens(String)
    /// A file of ids separated by white space, or a JSON array (`tokenize --json`); "-" is stdin.
    case idsFile(String)
    /// Text, tokenized with the model's vocabulary (or --vocab) after <|begin_of_text|>, as
    /// llama.cpp and transformers' Llama 3 tokenizer start a sequence.
    case text(String)

    public func ids(tokens: ModelTokens, model: String) throws -> [Int] {
        switch self {
        case .tokens(let list):
            return try IDList.parse(Array(list.utf8), source: "--tokens")
        case .idsFile(let path):
            let stream = try InputStream(path: path == "-" ? nil : path)
            return try IDList.parse(try stream.readAll(), source: stream.name)
        case .text(let text):
            let tokenizer = try tokens.tokenizer(for: model)
            return (tokens.beginOfText.map { [$0] } ?? []) + tokenizer.encode(text)
        }
    }
}
