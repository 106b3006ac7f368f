import ArgumentParser
import BPETokenizer
import FoundationEssentials
import Glibc
import LlamaLayout
import ModelFiles
import ModelIO
import ReferenceModel

/// Options of the commands that run the reference model (logits, compare, perplexity, generate).
struct ModelRunOptions: ParsableArguments {
    @Option(help: "Vocabulary for text, instead of the model's own: a tokenizer.model, a tokenizer.json, or a GGUF.")
    var vocab: String?

    @Option(help: "Worker threads (default: all cores); results never depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    var threadCount: Int { threads ?? defaultThreadCount }

    /// The model at `path` and the vocabulary and special ids that go with it.
    func open(_ path: String) throws -> (model: LlamaModel, tokens: ModelTokens) {
        let file = try ModelFile(path: path)
        let override = try vocab.map {
            try ModelTokens.loadVocabulary(
                path: $0, cacheFolder: VocabularyLocation.cacheFolder(environment: ProcessInfo.processInfo.environment))
        }
        return (try LlamaModel(file: file), try ModelTokens(file: file, override: override, overrideSource: vocab))
    }
}

/// The ids to evaluate: exactly one of --tokens, --text, --ids.
struct SequenceOptions: ParsableArguments {
    @Option(help: "Token ids separated by spaces (\"1 2 3\").")
    var tokens: String?

    @Option(help: "Text, tokenized with the model's vocabulary after <|begin_of_text|>.")
    var text: String?

    @Option(help: "A file of ids separated by white space, or a JSON array (tokenize --json); - for stdin.")
    var ids: String?

    func validate() throws {
        guard [tokens, text, ids].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give the ids with exactly one of --tokens, --text, --ids")
        }
    }

    var input: SequenceInput {
        if let tokens { return .tokens(tokens) }
        if let text { return .text(text) }
        return .idsFile(ids ?? "-")
    }
}
