import ModelIO

/// A text touching every class of the pre-split (letters, digits, marks, spaces, newlines,
/// punctuation, contractions, emoji, CJK) and a special token's text, to encode with every
/// vocabulary a target manages to load.
public let sampleText = "Hello, world! It's 2026:\n\n  naïve café 東京 🙂 1234567 <|begin_of_text|> x\u{0301}\r\n\t"
