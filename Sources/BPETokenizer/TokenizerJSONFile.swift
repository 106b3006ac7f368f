import ModelIO

/// Reads a Hugging Face tokenizer.json with a byte-level BPE model.
enum TokenizerJSONFile {
    static func vocabulary(_ source: ByteSource) throws -> Vocabulary {
        throw FileError(file: source.name, "tokenizer.json support lands with the shared JSON parser")
    }
}
