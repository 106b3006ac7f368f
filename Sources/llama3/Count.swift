import ArgumentParser
import BPETokenizer
import Foundation
import ModelIO

struct Count: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count the tokens of texts.",
        discussion: """
            With no file (or -), reads stdin and prints just the number. With files, prints
            N<TAB>path for each, and N<TAB>total when there are several, like wc. Counts never
            depend on --threads.
            """)

    @Argument(help: "Text files (.zst read transparently); - is stdin.")
    var files: [String] = []

    @OptionGroup var tokenizerOptions: TokenizerOptions
    @OptionGroup var common: CommonOptions

    func run() throws {
        try reportingFailures {
            let tokenizer = Tokenizer(vocabulary: try loadVocabulary(common, verbose: tokenizerOptions.verbose))
            let options = tokenizerOptions.streamOptions(threads: common.threadCount)
            let paths = files.isEmpty ? ["-"] : files
            var counts: [(path: String, tokens: Int)] = []
            for path in paths {
                counts.append((path, try tokenizer.count(try InputStream(path: path), options: options)))
            }
            let total = counts.reduce(0) { $0 + $1.tokens }
            var out = ""
            if common.json {
                let entries = counts.map { JSONValue.object([.init("path", .string($0.path)), .init("tokens", .integer($0.tokens))]) }
                out = JSONValue.object([.init("files", .array(entries)), .init("total", .integer(total))]).serialized() + "\n"
            } else if files.isEmpty {
                out = "\(total)\n"
            } else {
                for entry in counts { out += "\(entry.tokens)\t\(entry.path)\n" }
                if counts.count > 1 { out += "\(total)\ttotal\n" }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }
}
