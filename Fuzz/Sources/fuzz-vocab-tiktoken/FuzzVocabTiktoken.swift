import BPETokenizer
import FuzzSupport
import ModelIO

/// A vocabulary file as `--vocab` reads it (kind told by content; the seeds are tiktoken BPE
/// files, lines of base64 piece and rank). A vocabulary that loads must tokenize: the sample
/// text's ids decode to its bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocabTiktoken(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = fuzzSource(data, size, name: "tokenizer.model")
    expectCleanRefusal {
        let vocabulary = try VocabularyFile.parse(source)
        try checkRoundTrip(vocabulary)
    }
    return 0
}
