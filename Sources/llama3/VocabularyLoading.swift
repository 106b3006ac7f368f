import BPETokenizer
import FoundationEssentials
import Glibc
import GGUF
import LlamaLayout
import ModelIO

/// The one place the CLI turns `--vocab` / `$LLAMA3_VOCAB` / the default path into a vocabulary.
/// With `verbose`, says on stderr which file and which special-token names are in use (people
/// count Llama 3 text with the wrong vocabulary by mistake).
func loadVocabulary(_ options: VocabularyOptions, verbose: Bool) throws -> Vocabulary {
    let location = options.location
    if location.origin == .defaultPath, !FileManager.default.fileExists(atPath: location.path) {
        throw FileError(
            file: location.path,
            "no vocabulary installed here; put the official Llama 3 tokenizer.model at this path (it is "
                + "llama_models/llama3/tokenizer.model inside the PyPI wheel llama-models==0.3.0: "
                + "`pip download --no-deps llama-models==0.3.0`, then `llama3 vocab install llama_models-0.3.0-py3-none-any.whl` "
                + "checks its sha256 and puts it there), or run `bash vocab/install.sh` "
                + "in the source checkout, or pass --vocab PATH or set $LLAMA3_VOCAB")
    }
    let (vocabulary, kind, cacheNote) = try load(location.path)
    if verbose {
        let line = "llama3: vocabulary \(location.path) (\(location.origin.rawValue)): \(kind), "
            + "\(vocabulary.rankCount) ranked pieces + \(vocabulary.specialTokens.count) special tokens, "
            + "special-token names: \(vocabulary.specialTokenNaming); cache: \(cacheNote)\n"
        try StandardStream.error.write(line)
    }
    return vocabulary
}

/// A GGUF's embedded vocabulary goes through the LlamaLayout bridge; it is read from the header
/// each time (hashing a multi-GB model to key a cache would cost more than reading the keys).
private func load(_ path: String) throws -> (Vocabulary, kind: String, cacheNote: String) {
    if GGUFVocabulary.isGGUF(path: path) {
        return (try GGUFVocabulary.read(path: path), "GGUF tokenizer.ggml.* keys", "not cached (read from the GGUF header)")
    }
    let loaded = try VocabularyLoader.load(
        path: path, cacheFolder: VocabularyLocation.cacheFolder(environment: ProcessInfo.processInfo.environment))
    return (loaded.vocabulary, loaded.kind.rawValue, loaded.cacheNote)
}
