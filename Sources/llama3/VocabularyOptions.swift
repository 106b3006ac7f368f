import ArgumentParser
import BPETokenizer
import FoundationEssentials
import Glibc

/// `--vocab`, for the commands that turn text into ids or ids into text (and `convert`, which
/// may need a vocabulary to embed in a GGUF).
struct VocabularyOptions: ParsableArguments {
    @Option(help: "Vocabulary: a tiktoken tokenizer.model, an HF tokenizer.json, or a GGUF (default: $LLAMA3_VOCAB, then ~/.local/share/llama3/tokenizer.model).")
    var vocab: String?

    var location: VocabularyLocation {
        VocabularyLocation.resolve(flag: vocab, environment: ProcessInfo.processInfo.environment)
    }
}
