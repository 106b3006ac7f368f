import BPETokenizer
import FuzzSupport
import GGUF
import LlamaLayout
import ModelIO

/// A vocabulary from a GGUF's `tokenizer.ggml.*` keys (`--vocab model.gguf`), through
/// LlamaLayout's bridge; a vocabulary that loads must tokenize the sample text back to its bytes,
/// and its keys must decode to the same vocabulary again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocabGGUF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = fuzzSource(data, size, name: "fuzz.gguf")
    expectCleanRefusal {
        let file = try GGUFFile(source: source)
        let vocabulary = try GGUFVocabulary.vocabulary(from: file.metadata, file: source.name)
        try checkRoundTrip(vocabulary)
        var metadata = GGUFMetadata()
        GGUFVocabulary.keys(for: vocabulary).write(into: &metadata)
        let again = try GGUFVocabulary.vocabulary(from: metadata, file: "<rewritten>")
        if again.rankCount != vocabulary.rankCount || again.specialTokens != vocabulary.specialTokens {
            fuzzFinding("the vocabulary's own keys read back differently")
        }
    }
    return 0
}
