import ArgumentParser
import BPETokenizer
import Glibc
import ModelIO

struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Print the ids of messages in Llama 3 chat format.",
        discussion: """
            MESSAGES.json is a JSON array of {"role", "content"} objects. The ids are \
            <|begin_of_text|>, then for each message <|start_header_id|>ROLE<|end_header_id|>, \
            a blank line, the trimmed content and <|eot_id|>, then the assistant header. \
            Special-token text inside content stays ordinary text. --template llama3.1 renders the \
            Llama 3.1 Instruct format instead: a system header first, always, with "Cutting \
            Knowledge Date: December 2023" and "Today Date: DATE" (--date, default 26 Jul 2024) \
            followed by the first message's content when its role is system.
            """)

    @Argument(help: "The messages file, or - for stdin.")
    var messages: String

    @Flag(help: "Print only the number of ids.")
    var count = false

    @Flag(help: "Read one conversation per line ({\"messages\": [...]} or an array) and print one line of ids, or with --count one count, per conversation.")
    var jsonl = false

    @Option(help: "The instruct format: llama3 (Llama 3) or llama3.1 (Llama 3.1 and later, with the system header's dates).")
    var template: ChatTemplateName = .llama3

    @Option(help: "The \"Today Date\" of the llama3.1 system header (default: 26 Jul 2024, the template's own).")
    var date: String?

    @Flag(help: "Say on stderr which vocabulary file and special-token names are in use.")
    var verbose = false

    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if date != nil && template != .llama31 {
            throw ValidationError("--date belongs to --template llama3.1 (the Llama 3 format has no date)")
        }
    }

    private var chatTemplate: ChatTemplate {
        switch template {
        case .llama3: return .llama3
        case .llama31: return .llama31(date: date ?? Llama31ChatFormat.defaultDate)
        }
    }

    func run() throws {
        try reportingFailures {
            let tokenizer = Tokenizer(vocabulary: try loadVocabulary(vocabulary, verbose: verbose))
            let input = try InputStream(path: messages)
            if jsonl {
                let conversations = try ChatLines.conversations(try input.readAll(), source: input.name)
                return try printLines(conversations, source: input.name, tokenizer: tokenizer)
            }
            let ids = try chatTemplate.encode(try ChatFormat.messages(try input.readAll(), source: input.name), tokenizer: tokenizer)
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
    private func printLines(_ conversations: [[ChatMessage]], source: String, tokenizer: Tokenizer) throws {
        // Checked before anything is printed, as every line is read first.
        if case .llama31 = chatTemplate, let empty = conversations.firstIndex(where: \.isEmpty) {
            throw FileError(file: source, "conversation \(empty + 1) has no messages; the llama3.1 template needs at least one")
        }
        var counts: [Int] = []
        for conversation in conversations {
            let ids = try chatTemplate.encode(conversation, tokenizer: tokenizer)
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

enum ChatTemplateName: String, CaseIterable, ExpressibleByArgument {
    case llama3
    case llama31 = "llama3.1"
}
