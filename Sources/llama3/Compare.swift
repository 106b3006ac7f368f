import ArgumentParser
import Glibc
import ModelIO
import ReferenceModel

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Measure how far model B's predictions are from A's.",
        discussion: """
            A is the reference: kl_mean and kl_max are KL(A||B) over positions, top1_agreement the fraction
            of positions whose largest logit agrees, max_abs_diff the largest logit difference, perplexity_a
            and perplexity_b each model's perplexity of the ids (every position but the last predicts the
            next id). Text is tokenized with A's vocabulary; the two vocabularies must agree.
            """)

    @Argument(help: "The reference model: a .gguf file, a .safetensors file, or a checkpoint folder.")
    var a: String

    @Argument(help: "The model compared with it.")
    var b: String

    @OptionGroup var sequence: SequenceOptions

    @Flag(help: "Print {\"kl_mean\", \"kl_max\", \"top1_agreement\", \"max_abs_diff\", \"perplexity_a\", \"perplexity_b\", \"positions\"}.")
    var json = false

    @OptionGroup var runOptions: ModelRunOptions

    func run() throws {
        try reportingFailures {
            let first = try runOptions.open(a), second = try runOptions.open(b)
            try LogitComparison.checkVocabulariesAgree(first, second)
            let ids = try sequence.input.ids(tokens: first.tokens, model: a)
            var sessionA = InferenceSession(model: first.model, threads: runOptions.threadCount)
            var sessionB = InferenceSession(model: second.model, threads: runOptions.threadCount)
            let comparison = LogitComparison(try sessionA.evaluate(ids), try sessionB.evaluate(ids), ids: ids)
            try StandardStream.output.write((json ? comparison.json.serialized() : comparison.textLines.joined(separator: "\n")) + "\n")
        }
    }
}
