import BPETokenizer
import Foundation
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
            "no vocabulary installed; run `bash vocab/install.sh` to install the official Llama 3 tokenizer.model, or pass --vocab PATH")
    }
    let (vocabulary, kind, cacheNote) = try load(location.path)
    if verbose {
        let line = "llama3: vocabulary \(location.path) (\(location.origin.rawValue)): \(kind), "
            + "\(vocabulary.rankCount) ranked pieces + \(vocabulary.specialTokens.count) special tokens, "
            + "special-token names: \(vocabulary.specialTokenNaming); cache: \(cacheNote)\n"
        FileHandle.standardError.write(Data(line.utf8))
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
