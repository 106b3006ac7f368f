import BPETokenizer
import GGUF
import ModelIO

/// The bridge between the tokenizer's `Vocabulary` and a GGUF's `tokenizer.ggml.*` keys, so that
/// `--vocab model.gguf` works and conversions can embed a vocabulary (GGUF and BPETokenizer never meet).
public enum GGUFVocabulary {
    /// How `--verbose` names where the special-token names came from.
    public static let specialTokenNaming = "the names the GGUF's tokenizer.ggml.tokens carries"

    /// The keys of `vocabulary`, as llama.cpp's converter writes them for Llama 3. `endOfSequence`
    /// is <|end_of_text|> for base models and <|eot_id|> for instruct models (which stop on it).
    public static func keys(
        for vocabulary: Vocabulary, endOfSequence: String = "<|end_of_text|>", chatTemplate: String? = nil
    ) -> GGUFVocabularyKeys {
        GGUFVocabularyKeys(
            rankedPieces: (0..<vocabulary.rankCount).map { vocabulary.pieceBytes(rank: $0) },
            specialTokens: vocabulary.specialTokens.map { (id: $0.id, name: $0.name) },
            bosTokenID: vocabulary.specialID(named: "<|begin_of_text|>"),
            eosTokenID: vocabulary.specialID(named: endOfSequence),
            chatTemplate: chatTemplate)
    }

    /// The vocabulary embedded in the GGUF at `path` (header only: the tensors are never read).
    /// Any part of a split GGUF will do: the vocabulary is read from part 1, where it lives.
    public static func read(path: String) throws -> Vocabulary {
        let file = try GGUFFile(path: path)
        let header = SplitGGUFFile.isPart(file) ? try SplitGGUFFile(anyPart: file).first : file
        return try vocabulary(from: header.metadata, file: header.source.name)
    }

    /// A GGUF whose keys are readable but do not decode as rank = id byte-level BPE holds another
    /// kind of vocabulary (GPT-2's own, for one, puts special tokens among the normal ones): the
    /// error says that first, then the detail that showed it.
    public static func vocabulary(from metadata: GGUFMetadata, file: String) throws -> Vocabulary {
        let keys = try GGUFVocabularyKeys(metadata: metadata, file: file)
        let decoded: DecodedGGUFVocabulary
        do {
            decoded = try keys.decode(file: file)
        } catch let error as FileError {
            throw FileError(
                file: file,
                "not a tiktoken-style vocabulary (byte-level BPE pieces ranked by id, then special tokens, as Llama 3's), "
                    + "the only kind llama3 tokenizes with: \(error.message)")
        }
        return try Vocabulary(
            rankedPieces: decoded.rankedPieces,
            specialTokens: decoded.specialTokens.map { SpecialToken(id: $0.id, name: $0.name) },
            specialTokenNaming: specialTokenNaming, source: file)
    }

    /// True when the file at `path` starts with the GGUF magic.
    public static func isGGUF(path: String) -> Bool {
        guard let source = try? ByteSource(mapping: path), source.count >= 4 else { return false }
        return (try? source.bytes(offset: 0, length: 4)) == GGUFFile.magic
    }
}

extension GGUFVocabularyKeys {
    /// llama.cpp's key names.
    enum Key {
        static let model = "tokenizer.ggml.model"
        static let pre = "tokenizer.ggml.pre"
        static let tokens = "tokenizer.ggml.tokens"
        static let tokenTypes = "tokenizer.ggml.token_type"
        static let merges = "tokenizer.ggml.merges"
        static let bos = "tokenizer.ggml.bos_token_id"
        static let eos = "tokenizer.ggml.eos_token_id"
        static let addBOS = "tokenizer.ggml.add_bos_token"
        static let chatTemplate = "tokenizer.chat_template"
    }

    /// Reads the keys from a GGUF header. Missing or mistyped required keys are errors naming the key.
    public init(metadata: GGUFMetadata, file: String) throws {
        func required(_ key: String) throws -> GGUFValue {
            guard let value = metadata[key] else { throw FileError(file: file, "expected the key \(key): the file carries no vocabulary") }
            return value
        }
        func strings(_ key: String) throws -> [String] {
            guard let array = try required(key).array else { throw FileError(file: file, "expected \(key) to be an array of strings") }
            return try array.strings()
        }
        guard let model = try required(Key.model).string else { throw FileError(file: file, "expected \(Key.model) to be a string") }
        let tokens = try strings(Key.tokens)
        var types: [Int32] = []
        if let value = metadata[Key.tokenTypes] {
            guard let array = value.array else { throw FileError(file: file, "expected \(Key.tokenTypes) to be an array of integers") }
            types = try array.integers().map { Int32(clamping: $0) }
        }
        let merges = model == "gpt2" ? try strings(Key.merges) : []
        self.init(
            tokens: tokens, tokenTypes: types, merges: merges,
            bosTokenID: metadata[Key.bos]?.integer, eosTokenID: metadata[Key.eos]?.integer,
            chatTemplate: metadata[Key.chatTemplate]?.string)
        self.model = model
        pre = metadata[Key.pre]?.string ?? ""
    }

    /// Adds the keys to a GGUF header being built, in llama.cpp's order.
    public func write(into metadata: inout GGUFMetadata) {
        metadata.set(Key.model, .string(model))
        metadata.set(Key.pre, .string(pre))
        metadata.set(Key.tokens, .array(GGUFArray(strings: tokens)))
        metadata.set(Key.tokenTypes, .array(GGUFArray(int32s: tokenTypes)))
        metadata.set(Key.merges, .array(GGUFArray(strings: merges)))
        if let bosTokenID, let id = UInt32(exactly: bosTokenID) { metadata.set(Key.bos, .uint32(id)) }
        if let eosTokenID, let id = UInt32(exactly: eosTokenID) { metadata.set(Key.eos, .uint32(id)) }
        // Llama 3 prepends <|begin_of_text|>: the HF tokenizer's post-processor says so, and
        // gguf-py's SpecialVocab carries that over as add_bos_token.
        metadata.set(Key.addBOS, .bool(true))
        if let chatTemplate { metadata.set(Key.chatTemplate, .string(chatTemplate)) }
    }
}
