import BPETokenizer
import Foundation
import ModelIO
import TestSupport
import Testing

/// The official vocabulary (vocab/install.sh) and the golden files of
/// Fixtures/tokenizer/make_goldens.py, loaded once for every suite.
enum Goldens {
    static let tokenizer: Tokenizer = {
        do {
            let source = try ByteSource(mapping: TestSupport.officialVocabulary.path)
            return Tokenizer(vocabulary: try VocabularyFile.parse(source))
        } catch {
            preconditionFailure("the official vocabulary is needed (bash vocab/install.sh): \(error)")
        }
    }()

    struct EncodingCase: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var special: Bool
        var ids: [Int]
        var testDescription: String { name }
    }

    struct PresplitCase: CustomTestStringConvertible, Sendable {
        var text: String
        var pieces: [String]
        var testDescription: String { text.debugDescription }
    }

    struct ChatCase: CustomTestStringConvertible, Sendable {
        var messages: [(role: String, content: String)]
        var ids: [Int]
        var testDescription: String { messages.map(\.role).joined(separator: ",") + ":" + (messages.last?.content.prefix(20) ?? "") }
    }

    static let encoding: [EncodingCase] = lines("tokenizer/encoding.jsonl").map { value in
        EncodingCase(
            name: value["case"]?.stringValue ?? "?", text: value["text"]?.stringValue ?? "",
            special: value["special"]?.boolValue ?? false, ids: integers(value["ids"]))
    }

    static let presplit: [PresplitCase] = lines("tokenizer/presplit.jsonl").map { value in
        PresplitCase(
            text: value["text"]?.stringValue ?? "",
            pieces: (value["pieces"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    static let chat: [ChatCase] = lines("tokenizer/chat.jsonl").map { value in
        ChatCase(
            messages: (value["messages"]?.arrayValue ?? []).map {
                ($0["role"]?.stringValue ?? "", $0["content"]?.stringValue ?? "")
            },
            ids: integers(value["ids"]))
    }

    static func integers(_ value: JSONValue?) -> [Int] {
        (value?.arrayValue ?? []).compactMap { $0.int64Value.map(Int.init) }
    }

    /// One JSON value per line; a file that does not parse is a broken checkout, not a test result.
    static func lines(_ fixture: String) -> [JSONValue] {
        let url = TestSupport.fixture(fixture)
        guard let data = try? Data(contentsOf: url) else { preconditionFailure("missing fixture \(url.path)") }
        return data.split(separator: UInt8(ascii: "\n")).map { line in
            do {
                return try JSONParser.parse(Array(line), file: url.path)
            } catch {
                preconditionFailure("\(error)")
            }
        }
    }
}
