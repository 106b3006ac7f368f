import ArgumentParser
import BPETokenizer
import Foundation
import ModelIO

struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the ids of messages in Llama 3 chat format.",
        discussion: """
            MESSAGES.json is a JSON array of {"role", "content"} objects. The ids are \
            <|begin_of_text|>, then for each message <|start_header_id|>ROLE<|end_header_id|>, \
            a blank line, the trimmed content and <|eot_id|>, then the assistant header. \
            Special-token text inside content stays ordinary text.
            """)

    @Argument(help: "The messages file, or - for stdin.")
    var messages: String

    @Flag(help: "Print only the number of ids.")
    var count = false

    @Flag(help: "Read one conversation per line ({\"messages\": [...]} or an array) and print one line of ids, or with --count one count, per conversation.")
    var jsonl = false

    @Flag(help: "Say on stderr which vocabulary file and special-token names are in use.")
    var verbose = false

    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures {
            let tokenizer = Tokenizer(vocabulary: try loadVocabulary(vocabulary, verbose: verbose))
            let input = try InputStream(path: messages)
            if jsonl {
                return try printLines(try ChatLines.conversations(try input.readAll(), source: input.name), tokenizer: tokenizer)
            }
            let ids = try ChatFormat.encode(try ChatFormat.messages(try input.readAll(), source: input.name), tokenizer: tokenizer)
            if count {
                let text = output.json ? JSONValue.object([.init("tokens", .integer(ids.count))]).serialized() : String(ids.count)
                try printLine(text)
            } else {
                let printer = IDPrinter(json: output.json)
                try printer.print(ids)
                try printer.finish()
            }
        }
    }

    /// `--jsonl`: ids or counts, one line per conversation; `--count --json` adds the total.
    private func printLines(_ conversations: [[ChatMessage]], tokenizer: Tokenizer) throws {
        var counts: [Int] = []
        for conversation in conversations {
            let ids = try ChatFormat.encode(conversation, tokenizer: tokenizer)
            if count {
                counts.append(ids.count)
                if !output.json { try printLine(String(ids.count)) }
            } else {
                let printer = IDPrinter(json: output.json)
                try printer.print(ids)
                try printer.finish()
            }
        }
        if count && output.json {
            try printLine(JSONValue.object([
                JSONMember("lines", .array(counts.map { .integer($0) })), JSONMember("total", .integer(counts.reduce(0, +))),
            ]).serialized())
        }
    }
}
