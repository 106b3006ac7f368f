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

func checkRoundTrip(_ vocabulary: Vocabulary) throws {
    let tokenizer = Tokenizer(vocabulary: vocabulary)
    for parseSpecial in [false, true] {
        let ids = tokenizer.encode(sampleText, options: .init(parseSpecial: parseSpecial))
        let decoded = try tokenizer.decode(ids)
        if decoded != Array(sampleText.utf8) { fuzzFinding("decode(encode(sample)) differs, parseSpecial \(parseSpecial): \(ids)") }
    }
}
