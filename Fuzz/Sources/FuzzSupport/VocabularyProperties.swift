import BPETokenizer
import ModelIO

/// A text touching every class of the pre-split (letters, digits, marks, spaces, newlines,
/// punctuation, contractions, emoji, CJK) and a special token's text, to encode with every
/// vocabulary a target manages to load.
public let sampleText = "Hello, world! It's 2026:\n\n  naïve café 東京 🙂 1234567 <|begin_of_text|> x\u{0301}\r\n\t"

/// The property every loaded vocabulary must keep: the sample text's ids, with and without
/// special-token parsing, decode to exactly its bytes.
public func checkRoundTrip(_ vocabulary: Vocabulary) throws {
    let tokenizer = Tokenizer(vocabulary: vocabulary)
    for parseSpecial in [false, true] {
        let ids = tokenizer.encode(sampleText, options: .init(parseSpecial: parseSpecial))
        if try tokenizer.decode(ids) != Array(sampleText.utf8) {
            fuzzFinding("decode(encode(sample)) differs, parseSpecial \(parseSpecial): \(ids)")
        }
    }
}
