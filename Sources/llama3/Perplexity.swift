import ArgumentParser
import Glibc
import ModelIO
import ReferenceModel

struct Perplexity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "A model's perplexity, by llama.cpp's windowing rule.",
        discussion: """
            A text FILE is tokenized once with <|begin_of_text|> first; --ids are used as given. The ids are
            cut into windows of --context tokens (a shorter remainder is dropped), each window's first id is
            replaced by <|begin_of_text|>, and only its second half is scored (the logits at positions N/2 to
            N-2 predict the next id). At least 2N ids are needed. The running value is printed on stderr.
            """)

    @Argument(help: "A .gguf file, a .safetensors file, or a Hugging Face checkpoint folder.")
    var model: String

    @Argument(help: "A text file (.zst read transparently), or - for stdin.")
    var file: String?

    @Option(help: "A file of ids separated by white space, or a JSON array; - for stdin.")
    var ids: String?

    @Option(help: "Tokens per window.")
    var context: Int = 512

    @Flag(help: "Print {\"perplexity\", \"windows\", \"scored_tokens\"}.")
    var json = false

    @OptionGroup var runOptions: ModelRunOptions

    func validate() throws {
        guard (file == nil) != (ids == nil) else { throw ValidationError("give either a text FILE or --ids FILE") }
        if context < 4 { throw ValidationError("--context must be at least 4") }
    }

    func run() throws {
        try reportingFailures {
            let (reference, tokens) = try runOptions.open(model)
            guard let beginOfText = tokens.beginOfText else {
                throw FileError(file: model, "declares no <|begin_of_text|> id, which each window starts with; pass --vocab")
            }
            let input: SequenceInput
            if let ids {
                input = .idsFile(ids)
            } else {
                let stream = try InputStream(path: file == "-" ? nil : file)
                input = .text(String(decoding: try stream.readAll(), as: UTF8.self))
            }
            let sequence = try input.ids(tokens: tokens, model: model)
            let run = PerplexityRun(context: context, beginOfText: beginOfText)
            let total = sequence.count / context
            let result = try run.run(sequence, model: reference, threads: runOptions.threadCount, source: ids ?? file ?? "-") { running in
                try StandardStream.error.write("llama3: window \(running.windows)/\(total): perplexity \(running.perplexity)\n")
            }
            if json {
                try StandardStream.output.write(result.json.serialized() + "\n")
            } else {
                try StandardStream.output.write("perplexity \(result.perplexity) (\(result.windows) windows of \(context), \(result.scoredTokens) scored tokens)\n")
            }
        }
    }
}
