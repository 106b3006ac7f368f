import ArgumentParser
import BPETokenizer
import Foundation
import ModelIO

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the token ids of a text on one line.",
        discussion: "Ids equal tiktoken's encode_ordinary with the same vocabulary (encode with all specials allowed under --special).")

    @Argument(help: "A text file (.zst read transparently), or - for stdin (the default).")
    var file: String?

    @Flag(help: "Start with <|begin_of_text|>.")
    var bos = false

    @Flag(help: "End with <|end_of_text|>.")
    var eos = false

    @OptionGroup var tokenizerOptions: TokenizerOptions
    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var threads: ThreadOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var quiet: QuietOption

    func run() throws {
        try reportingFailures {
            let tokenizer = Tokenizer(vocabulary: try loadVocabulary(vocabulary, verbose: tokenizerOptions.verbose))
            let printer = IDPrinter(json: output.json)
            let begin = bos ? try tokenizer.vocabulary.requireSpecial(Llama3SpecialTokens.beginOfText) : nil
            if let begin { printer.print([begin]) }
            var first = true
            try tokenizer.encode(
                try InputStream(path: file), options: tokenizerOptions.streamOptions(threads: threads.count)
            ) { ids in
                if first, let begin, ids.first == begin, !quiet.isOn {
                    // A template that already starts with <|begin_of_text|> plus --bos gives two.
                    FileHandle.standardError.write(Data("llama3: warning: the text already starts with <|begin_of_text|>; --bos adds a second one\n".utf8))
                }
                first = false
                printer.print(ids)
            }
            if eos { printer.print([try tokenizer.vocabulary.requireSpecial(Llama3SpecialTokens.endOfText)]) }
            printer.finish()
        }
    }
}
