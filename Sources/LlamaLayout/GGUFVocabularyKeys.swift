import BPETokenizer

/// A byte-level BPE vocabulary as llama.cpp stores it in a GGUF's `tokenizer.ggml.*` keys.
///
/// Conventions followed (those of llama.cpp's convert_hf_to_gguf for Llama 3):
/// - `tokenizer.ggml.model` "gpt2" (byte-level BPE), `tokenizer.ggml.pre` "llama-bpe" (Llama 3's pre-split);
/// - `tokens`: one string per id; a ranked piece in GPT-2's byte-to-unicode form, a special token
///   by its name, an id that is neither as "[PAD<id>]";
/// - `token_type`: 1 normal (a ranked piece), 3 control (a special token), 5 unused (padding);
/// - `merges`: "left right" in byte-to-unicode form (see `MergeRecovery`);
/// - `bos_token_id` <|begin_of_text|>; `eos_token_id` as the model's tokenizer config says:
///   <|end_of_text|> (128001) for base models, <|eot_id|> (128009) for instruct models.
public struct GGUFVocabularyKeys: Sendable, Equatable {
    public enum TokenType: Int32, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    public var model = "gpt2"
    public var pre = "llama-bpe"
    public var tokens: [String]
    public var tokenTypes: [Int32]
    public var merges: [String]
    public var bosTokenID: Int?
    public var eosTokenID: Int?
    public var chatTemplate: String?

    public init(
        tokens: [String], tokenTypes: [Int32], merges: [String], bosTokenID: Int? = nil, eosTokenID: Int? = nil,
        chatTemplate: String? = nil
    ) {
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.chatTemplate = chatTemplate
    }

    /// The keys of a vocabulary given as ranked pieces (rank = id) and special tokens.
    public init(
        rankedPieces: [[UInt8]], specialTokens: [(id: Int, name: String)],
        bosTokenID: Int?, eosTokenID: Int?, chatTemplate: String? = nil
    ) {
        let idCount = max(rankedPieces.count, (specialTokens.map(\.id).max() ?? -1) + 1)
        var tokens = [String](), types = [Int32]()
        tokens.reserveCapacity(idCount)
        types.reserveCapacity(idCount)
        for piece in rankedPieces {
            tokens.append(ByteLevelAlphabet.spell(piece))
            types.append(TokenType.normal.rawValue)
        }
        let names = Dictionary(specialTokens.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        for id in rankedPieces.count..<idCount {
            if let name = names[id] {
                tokens.append(name)
                types.append(TokenType.control.rawValue)
            } else {
                tokens.append("[PAD\(id)]")
                types.append(TokenType.unused.rawValue)
            }
        }
        let merges = MergeRecovery.merges(rankedPieces: rankedPieces).map { MergeRecovery.text($0, pieces: rankedPieces) }
        self.init(tokens: tokens, tokenTypes: types, merges: merges, bosTokenID: bosTokenID, eosTokenID: eosTokenID,
                  chatTemplate: chatTemplate)
    }
}
