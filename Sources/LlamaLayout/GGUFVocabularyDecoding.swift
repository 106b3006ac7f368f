import ModelIO

/// A GGUF vocabulary read back as tiktoken-style ranks: the form the tokenizer runs on.
public struct DecodedGGUFVocabulary: Sendable, Equatable {
    /// The bytes of rank (= id) 0, 1, 2 ...
    public var rankedPieces: [[UInt8]]
    /// Control and user-defined tokens, by id, with the names the file gives them.
    public var specialTokens: [(id: Int, name: String)]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rankedPieces == rhs.rankedPieces
            && lhs.specialTokens.map(\.id) == rhs.specialTokens.map(\.id)
            && lhs.specialTokens.map(\.name) == rhs.specialTokens.map(\.name)
    }
}

extension GGUFVocabularyKeys {
    /// Reads the keys as ranked pieces and special tokens, checking what makes rank = id BPE give
    /// llama.cpp's results: normal tokens first (ids 0 ..< N) and then only special or unused
    /// ones; every merge joins two normal tokens into a normal token; merges come in the order
    /// of the ids they make; every multi-byte normal token is made by some merge.
    /// `file` names the GGUF in errors.
    public func decode(file: String) throws -> DecodedGGUFVocabulary {
        guard model == "gpt2" else {
            throw FileError(file: file, "tokenizer.ggml.model is \"\(model)\", expected \"gpt2\" (byte-level BPE, as Llama 3 uses)")
        }
        guard tokenTypes.isEmpty || tokenTypes.count == tokens.count else {
            throw FileError(file: file, "tokenizer.ggml.token_type has \(tokenTypes.count) entries, expected one per token (\(tokens.count))")
        }
        var pieces: [[UInt8]] = [], specials: [(id: Int, name: String)] = []
        for (id, token) in tokens.enumerated() {
            let type = tokenTypes.isEmpty ? TokenType.normal.rawValue : tokenTypes[id]
            switch TokenType(rawValue: type) {
            case .normal?:
                guard specials.isEmpty && pieces.count == id else {
                    throw FileError(file: file, "tokenizer.ggml.tokens[\(id)] is a normal token after special or unused ones; expected all normal tokens first")
                }
                guard let bytes = ByteLevelUnicode.decode(token) else {
                    throw FileError(file: file, "tokenizer.ggml.tokens[\(id)] \(Self.quoted(token)) is not in byte-level (GPT-2 byte-to-unicode) form")
                }
                pieces.append(bytes)
            case .control?, .userDefined?:
                specials.append((id, token))
            case .unused?:
                continue
            default:
                throw FileError(file: file, "tokenizer.ggml.token_type[\(id)] is \(type), expected 1 (normal), 3 (control), 4 (user-defined) or 5 (unused)")
            }
        }
        try checkMerges(pieces: pieces, file: file)
        return DecodedGGUFVocabulary(rankedPieces: pieces, specialTokens: specials)
    }

    private func checkMerges(pieces: [[UInt8]], file: String) throws {
        var rankOf: [[UInt8]: Int] = [:]
        rankOf.reserveCapacity(pieces.count)
        for (rank, piece) in pieces.enumerated() { rankOf[piece] = rank }
        var made = [Bool](repeating: false, count: pieces.count)
        var previous = -1
        for (index, merge) in merges.enumerated() {
            let halves = merge.split(separator: " ", omittingEmptySubsequences: false)
            guard halves.count == 2,
                let left = ByteLevelUnicode.decode(String(halves[0])), let right = ByteLevelUnicode.decode(String(halves[1])),
                rankOf[left] != nil, rankOf[right] != nil
            else {
                throw FileError(file: file, "tokenizer.ggml.merges[\(index)] \(Self.quoted(merge)) is not two normal tokens separated by a space")
            }
            guard let result = rankOf[left + right] else {
                throw FileError(file: file, "tokenizer.ggml.merges[\(index)] \(Self.quoted(merge)) makes a piece that is not a token")
            }
            guard result >= previous else {
                throw FileError(file: file, "tokenizer.ggml.merges[\(index)] \(Self.quoted(merge)) makes token \(result) after a merge made token \(previous); expected merges in the order of the tokens they make")
            }
            previous = result
            made[result] = true
        }
        if let unmade = pieces.indices.first(where: { pieces[$0].count > 1 && !made[$0] }) {
            throw FileError(file: file, "tokenizer.ggml.tokens[\(unmade)] \(Self.quoted(tokens[unmade])) is made by no merge in tokenizer.ggml.merges")
        }
    }

    /// A token for a message: quoted, and cut short if long.
    static func quoted(_ text: String) -> String {
        let shown = text.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "..." : text
        return "\"" + shown + "\""
    }
}
