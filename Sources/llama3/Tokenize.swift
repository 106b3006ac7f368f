import ArgumentParser
import BPETokenizer
import Glibc
import ModelIO

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text on one line.",
        discussion: "Ids equal tiktoken's encode_ordinary with the same vocabulary (encode with all specials allowed under --special).")

    @Argument(help: "A text file (.zst read transparently), or - for stdin (the default).")
    var file: String?

    @Flag(help: "Start with <|begin_of_text|>.")
    var bos = false

    @Flag(help: "End with <|end_of_text|>.")
    var eos = false

    @Flag(help: "Print one id per line with its piece, ID<TAB>PIECE (escaped where not printable), like llama-tokenize.")
    var pieces = false

    @OptionGroup var tokenizerOptions: TokenizerOptions
    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var threads: ThreadOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var quiet: QuietOption

    func validate() throws {
        if pieces && output.json { throw ValidationError("--pieces prints text lines; leave out --json, or leave out --pieces for the JSON array of ids") }
    }

    func run() throws {
        try reportingFailures {
            let tokenizer = Tokenizer(vocabulary: try loadVocabulary(vocabulary, verbose: tokenizerOptions.verbose))
            let printer: any IDSink = pieces ? PiecePrinter(tokenizer: tokenizer) : IDPrinter(json: output.json)
            let begin = bos ? try tokenizer.vocabulary.requireSpecial(Llama3SpecialTokens.beginOfText) : nil
            if let begin { try printer.print([begin]) }
            var first = true
            // Ids on the same terminal would be torn by a line redrawn in place.
            let progress = ProgressLine(label: "tokenizing", enabled: !quiet.isOn && isatty(STDOUT_FILENO) == 0)
            let input = try InputStream(path: file)
            input.reportingProgress(to: progress)
            try tokenizer.encode(input, options: tokenizerOptions.streamOptions(threads: threads.count)) { ids in
                if first, let begin, ids.first == begin, !quiet.isOn {
                    // A template that already starts with <|begin_of_text|> plus --bos gives two.
                    try sayOnStderr("llama3: warning: the text already starts with <|begin_of_text|>; --bos adds a second one")
                }
                first = false
                try printer.print(ids)
            }
            if eos { try printer.print([try tokenizer.vocabulary.requireSpecial(Llama3SpecialTokens.endOfText)]) }
            try progress.finish()
            try printer.finish()
        }
    }
}
