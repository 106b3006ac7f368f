import ModelIO

/// Reads a vocabulary file whose kind is told by its content: a tiktoken BPE file
/// (`tokenizer.model`) or a Hugging Face `tokenizer.json`.
public enum VocabularyFile {
    public enum Kind: String, Sendable {
        case tiktoken = "tiktoken BPE file"
        case tokenizerJSON = "Hugging Face tokenizer.json"
    }

    /// The kind of vocabulary in `source`, from its first non-blank byte.
    public static func kind(of source: ByteSource) throws -> Kind {
        // A zip archive's local header: torch.save's checkpoints (.pth), a model and not a vocabulary.
        if source.count >= 4, try source.bytes(offset: 0, length: 4) == [0x50, 0x4b, 0x03, 0x04] {
            throw FileError(
                file: source.name, offset: 0,
                "this is a PyTorch checkpoint (torch.save's zip archive), not a vocabulary; expected tiktoken BPE lines (Meta's tokenizer.model beside it) or a tokenizer.json")
        }
        var offset = 0
        while offset < source.count {
            let byte = try source.load(UInt8.self, at: offset)
            if byte == UInt8(ascii: "{") { return .tokenizerJSON }
            if ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains(byte) {
                return .tiktoken
            }
            offset += 1
        }
        throw FileError(file: source.name, "expected a vocabulary (tiktoken BPE lines or a tokenizer.json), found an empty file")
    }

    /// Parses the vocabulary file in `source` (no cache: see VocabularyCache).
    public static func parse(_ source: ByteSource) throws -> Vocabulary {
        switch try kind(of: source) {
        case .tiktoken:
            let pieces = try TiktokenFile.rankedPieces(source)
            return try Vocabulary(
                rankedPieces: pieces,
                specialTokens: Llama3SpecialTokens.tokens(firstID: pieces.count),
                specialTokenNaming: Llama3SpecialTokens.naming, source: source.name)
        case .tokenizerJSON:
            return try TokenizerJSONFile.vocabulary(source)
        }
    }
}
