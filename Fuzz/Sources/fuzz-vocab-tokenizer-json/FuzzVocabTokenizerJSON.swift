import BPETokenizer
import FuzzSupport
import ModelIO

/// A vocabulary file as `--vocab` reads it (kind told by content; the seeds are Hugging Face
/// tokenizer.json files: vocab, merges, added tokens). A vocabulary that loads must tokenize: the sample
/// text's ids decode to its bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocabTokenizerJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = fuzzSource(data, size, name: "tokenizer.json")
    expectCleanRefusal {
        let vocabulary = try VocabularyFile.parse(source)
        try checkRoundTrip(vocabulary)
    }
    return 0
}
