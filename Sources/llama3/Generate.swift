import ArgumentParser
import BPETokenizer
import Glibc
import ModelIO
import ReferenceModel

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt with the reference model.",
        discussion: """
            Greedy (the largest logit) unless --temperature is above 0. Stops at the model's end-of-text and
            end-of-turn ids, or after --max-tokens. Prints the ids instead of text when the model carries no
            vocabulary this project can decode (and no --vocab is given).
            """)

    @Argument(help: "A .gguf file, a .safetensors file, or a Hugging Face checkpoint folder.")
    var model: String

    @Option(help: "The prompt text, tokenized after <|begin_of_text|>.")
    var prompt: String?

    @Option(help: "The prompt as token ids separated by spaces.")
    var tokens: String?

    @Option(help: "The prompt as a file of ids (white space separated, or a JSON array); - for stdin.")
    var ids: String?

    @Flag(help: "Wrap the prompt in the Llama 3 instruct format as one user message.")
    var chat = false

    @Option(help: "Generate at most N tokens.")
    var maxTokens: Int = 256

    @Option(help: "Sample from softmax(logits / T) instead of taking the largest logit.")
    var temperature: Double = 0

    @Option(help: "Seed of the sampler (the same seed gives the same text).")
    var seed: UInt64 = 0

    @Flag(name: .customLong("ignore-eos"), help: "Do not stop at end-of-text or end-of-turn ids: always generate --max-tokens (benchmarks).")
    var ignoreEOS = false

    @Flag(help: "Print prompt and generation tokens/s on stderr.")
    var verbose = false

    @OptionGroup var runOptions: ModelRunOptions

    func validate() throws {
        guard [prompt, tokens, ids].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give the prompt with exactly one of --prompt, --tokens, --ids")
        }
        if chat && prompt == nil { throw ValidationError("--chat needs --prompt") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if !(temperature >= 0) { throw ValidationError("--temperature must be 0 or more") }
    }

    func run() throws {
        try reportingFailures {
            let (reference, modelTokens) = try runOptions.open(model)
            let promptIDs: [Int]
            if chat, let prompt {
                promptIDs = try ChatFormat.encode([ChatMessage(role: "user", content: prompt)], tokenizer: try modelTokens.tokenizer(for: model))
            } else {
                let input: SequenceInput = prompt.map { .text($0) } ?? tokens.map { .tokens($0) } ?? .idsFile(ids ?? "-")
                promptIDs = try input.ids(tokens: modelTokens, model: model)
            }
            let decoder = modelTokens.vocabulary.map(Tokenizer.init(vocabulary:))
            var session = InferenceSession(model: reference, threads: runOptions.threadCount)
            let generation = Generation(temperature: temperature, seed: seed, maxTokens: maxTokens, stops: ignoreEOS ? [] : modelTokens.stops)
            var first = true
            let timing = try generation.run(promptIDs, session: &session) { id in
                if let decoder, let bytes = try? decoder.decode([id]) {
                    try StandardStream.output.write(bytes)
                } else {
                    try StandardStream.output.write((first ? "" : " ") + String(id))
                }
                first = false
            }
            try StandardStream.output.write("\n")
            if verbose {
                try StandardStream.error.write(Self.rates(timing))
            }
        }
    }

    static func rates(_ timing: Generation.Timing) -> String {
        func rate(_ tokens: Int, _ seconds: Double) -> String {
            cFormat("%.3f s (%.1f tokens/s)", seconds, seconds > 0 ? Double(tokens) / seconds : 0)
        }
        return "llama3: prompt: \(timing.promptTokens) tokens in \(rate(timing.promptTokens, timing.promptSeconds)); "
            + "generation: \(timing.generatedTokens) tokens, \(timing.generationPasses) one-token passes in "
            + "\(rate(timing.generationPasses, timing.generationSeconds))\n"
    }
}
