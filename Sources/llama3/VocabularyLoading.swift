import BPETokenizer
import Foundation
import ModelIO

/// The one place the CLI turns `--vocab` / `$LLAMA3_VOCAB` / the default path into a vocabulary.
/// With `verbose`, says on stderr which file and which special-token names are in use (people
/// count Llama 3 text with the wrong vocabulary by mistake).
func loadVocabulary(_ common: CommonOptions, verbose: Bool) throws -> Vocabulary {
    let location = common.vocabularyLocation
    if location.origin == .defaultPath, !FileManager.default.fileExists(atPath: location.path) {
        throw FileError(
            file: location.path,
            "no vocabulary installed; run `bash vocab/install.sh` to install the official Llama 3 tokenizer.model, or pass --vocab PATH")
    }
    let loaded = try VocabularyLoader.load(path: location.path)
    if verbose {
        let vocabulary = loaded.vocabulary
        let line = "llama3: vocabulary \(location.path) (\(location.origin.rawValue)): \(loaded.kind.rawValue), "
            + "\(vocabulary.rankCount) ranked pieces + \(vocabulary.specialTokens.count) special tokens, "
            + "special-token names: \(vocabulary.specialTokenNaming); cache: \(loaded.cacheNote)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
    return loaded.vocabulary
}
