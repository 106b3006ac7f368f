import ArgumentParser
import Glibc
import ModelIO
import ReferenceModel

struct Logits: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Print or save the logits of every position.",
        discussion: """
            fp32 throughout; weights are read from the file and dequantized inside the products.
            Without --out, prints the 5 largest logits of each position: POSITION ID: id "piece" logit, ...
            """)

    @Argument(help: "A .gguf file, a .safetensors file, or a Hugging Face checkpoint folder.")
    var model: String

    @OptionGroup var sequence: SequenceOptions

    @Option(help: "Write the logits as a NumPy .npy file: float32 [tokens, vocab], C order, little-endian.")
    var out: String?

    @Option(help: "Print the K largest logits of each position (default 5; none with --out).")
    var top: Int?

    @Flag(help: "Print {\"positions\": [{\"id\", \"top\": [{\"id\", \"piece\", \"logit\"}]}]}.")
    var json = false

    @OptionGroup var runOptions: ModelRunOptions

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let (reference, tokens) = try runOptions.open(model)
            let ids = try sequence.input.ids(tokens: tokens, model: model)
            var session = InferenceSession(model: reference, threads: runOptions.threadCount)
            let logits = try session.evaluate(ids)
            if let out { try NumpyArrayWriter.write(logits, to: out) }
            let count = top ?? (out == nil || json ? 5 : 0)
            guard count > 0 else { return }
            let report = TopLogits(logits, ids: ids, count: min(count, reference.vocabularySize), vocabulary: tokens.vocabulary)
            try StandardStream.output.write((json ? report.json.serialized() : report.textLines.joined(separator: "\n")) + "\n")
        }
    }
}
