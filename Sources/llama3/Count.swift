import ArgumentParser
import BPETokenizer
import Glibc
import ModelIO

struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count the tokens of texts.",
        discussion: """
            With no file (or -), reads stdin and prints just the number. With files, prints \
            N<TAB>path for each, and N<TAB>total when there are several, like wc. Counts never \
            depend on --threads.
            """)

    @Argument(help: "Text files (.zst read transparently); - is stdin.")
    var files: [String] = []

    @Option(help: "Count only this string field of every JSON line (a line without it is an error).")
    var jsonlField: String?

    @Flag(help: "With --jsonl-field, print one count per JSON line instead of the total.")
    var perLine = false

    @OptionGroup var tokenizerOptions: TokenizerOptions
    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var threads: ThreadOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var quiet: QuietOption

    func validate() throws {
        if perLine && jsonlField == nil { throw ValidationError("--per-line needs --jsonl-field NAME") }
    }

    func run() throws {
        try reportingFailures {
            let tokenizer = Tokenizer(vocabulary: try loadVocabulary(vocabulary, verbose: tokenizerOptions.verbose))
            let options = tokenizerOptions.streamOptions(threads: threads.count)
            var results: [(path: String, lines: [Int])] = []
            let progress = ProgressLine(label: "counting", enabled: !quiet.isOn)
            for path in files.isEmpty ? ["-"] : files {
                let input = try InputStream(path: path)
                input.reportingProgress(to: progress)
                if let jsonlField {
                    results.append((path, try tokenizer.countJSONLinesField(input, field: jsonlField, options: options)))
                } else {
                    results.append((path, [try tokenizer.count(input, options: options)]))
                }
            }
            try progress.finish()
            try printText(report(results))
        }
    }

    private func report(_ results: [(path: String, lines: [Int])]) -> String {
        let totals = results.map { $0.lines.reduce(0, +) }
        let total = totals.reduce(0, +)
        if output.json {
            let entries = zip(results, totals).map { result, tokens in
                var members: [JSONMember] = [.init("path", .string(result.path)), .init("tokens", .integer(tokens))]
                if perLine { members.append(.init("lines", .array(result.lines.map { .integer($0) }))) }
                return JSONValue.object(members)
            }
            return JSONValue.object([.init("files", .array(entries)), .init("total", .integer(total))]).serialized() + "\n"
        }
        if perLine { return results.flatMap(\.lines).map { "\($0)\n" }.joined() }
        if files.isEmpty { return "\(total)\n" }
        var out = zip(results, totals).map { "\($1)\t\($0.path)\n" }.joined()
        if results.count > 1 { out += "\(total)\ttotal\n" }
        return out
    }
}
