import BPETokenizer
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
        try decode(file: file, exactMergeCheck: false)
    }

    /// `exactMergeCheck` forces the byte-comparing check that hash collisions fall back to (tests).
    func decode(file: String, exactMergeCheck: Bool) throws -> DecodedGGUFVocabulary {
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
                guard let bytes = ByteLevelAlphabet.bytes(of: token) else {
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
        if exactMergeCheck {
            try checkMergesExactly(pieces: pieces, file: file)
        } else {
            try checkMerges(pieces: pieces, file: file)
        }
        return DecodedGGUFVocabulary(rankedPieces: pieces, specialTokens: specials)
    }

    /// Works on the stored (byte-level) strings' UTF-8: the form maps each byte to one character,
    /// so the halves of a merge joined are the stored form of the piece it makes, and nothing
    /// needs decoding. A space never occurs inside a byte-level token (it is stored as 'Ġ').
    private func checkMerges(pieces: [[UInt8]], file: String) throws {
        guard let index = TokenHashIndex(tokens: tokens.prefix(pieces.count)) else {
            return try checkMergesExactly(pieces: pieces, file: file)
        }
        var made = [Bool](repeating: false, count: pieces.count)
        var previous = -1
        for (position, merge) in merges.enumerated() {
            guard let (left, right, joined) = TokenHashIndex.hashes(ofMerge: merge),
                index.id(left) != nil, index.id(right) != nil
            else { throw notTwoTokens(position, merge, file) }
            guard let result = index.id(joined) else { throw notAToken(position, merge, file) }
            guard result >= previous else { throw outOfOrder(position, merge, result, previous, file) }
            previous = result
            made[result] = true
        }
        try checkEveryPieceIsMade(made, pieces: pieces, file: file)
    }

    /// The same checks with exact byte comparisons, for the (crafted) vocabularies whose
    /// tokens collide in `TokenHashIndex`.
    private func checkMergesExactly(pieces: [[UInt8]], file: String) throws {
        var idOf: [ByteString: Int] = [:]
        idOf.reserveCapacity(pieces.count)
        for id in pieces.indices { idOf[ByteString(Array(tokens[id].utf8))] = id }
        var made = [Bool](repeating: false, count: pieces.count)
        var previous = -1
        for (position, merge) in merges.enumerated() {
            var utf8 = Array(merge.utf8)
            let spaces = utf8.indices.filter { utf8[$0] == UInt8(ascii: " ") }
            guard spaces.count == 1, let space = spaces.first,
                idOf[ByteString(utf8[..<space])] != nil, idOf[ByteString(utf8[(space + 1)...])] != nil
            else { throw notTwoTokens(position, merge, file) }
            utf8.remove(at: space)
            guard let result = idOf[ByteString(utf8)] else { throw notAToken(position, merge, file) }
            guard result >= previous else { throw outOfOrder(position, merge, result, previous, file) }
            previous = result
            made[result] = true
        }
        try checkEveryPieceIsMade(made, pieces: pieces, file: file)
    }

    private func checkEveryPieceIsMade(_ made: [Bool], pieces: [[UInt8]], file: String) throws {
        if let unmade = pieces.indices.first(where: { pieces[$0].count > 1 && !made[$0] }) {
            throw FileError(file: file, "tokenizer.ggml.tokens[\(unmade)] \(Self.quoted(tokens[unmade])) is made by no merge in tokenizer.ggml.merges")
        }
    }

    private func notTwoTokens(_ position: Int, _ merge: String, _ file: String) -> FileError {
        FileError(file: file, "tokenizer.ggml.merges[\(position)] \(Self.quoted(merge)) is not two normal tokens separated by a space")
    }

    private func notAToken(_ position: Int, _ merge: String, _ file: String) -> FileError {
        FileError(file: file, "tokenizer.ggml.merges[\(position)] \(Self.quoted(merge)) makes a piece that is not a token")
    }

    private func outOfOrder(_ position: Int, _ merge: String, _ result: Int, _ previous: Int, _ file: String) -> FileError {
        FileError(file: file, "tokenizer.ggml.merges[\(position)] \(Self.quoted(merge)) makes token \(result) after a merge made token \(previous); expected merges in the order of the tokens they make")
    }

    /// A token for a message: quoted, and cut short if long.
    static func quoted(_ text: String) -> String {
        let shown = text.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "..." : text
        return "\"" + shown + "\""
    }
}
