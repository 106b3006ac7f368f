import ModelIO

/// Reads a Hugging Face tokenizer.json whose model is byte-level BPE (Llama 3's, and any
/// vocabulary converted from tiktoken):
/// - `model.vocab`: piece (in ByteLevelAlphabet spelling) -> id; ids must be 0 ..< count, each once;
/// - `model.merges`: "a b" strings (older files) or ["a", "b"] pairs (tokenizers >= 0.20); each
///   must join two pieces into a third, and their order must follow the ranks of the pieces they
///   make, which is what makes rank-based merging (tiktoken's) give the file's own merges;
/// - `added_tokens` with `"special": true`: the special tokens, with the names the file carries.
enum TokenizerJSONFile {
    static let naming = "the names in the file's added_tokens"

    static func vocabulary(_ source: ByteSource) throws -> Vocabulary {
        let document = try JSONParser.parse(try source.slice(offset: 0, length: source.count))
        let name = source.name
        guard let model = document["model"] else { throw FileError(file: name, "expected a \"model\" object") }
        if let type = model["type"]?.stringValue, type != "BPE" {
            throw FileError(file: name, "expected a BPE model, found \"\(type)\"")
        }
        let pieces = try rankedPieces(model["vocab"], file: name)
        try checkMerges(model["merges"], pieces: pieces, file: name)
        return try Vocabulary(
            rankedPieces: pieces, specialTokens: try specialTokens(document["added_tokens"], rankCount: pieces.count, file: name),
            specialTokenNaming: naming, source: name)
    }

    private static func rankedPieces(_ vocab: JSONValue?, file: String) throws -> [[UInt8]] {
        guard let members = vocab?.objectValue else { throw FileError(file: file, "expected \"model.vocab\" to be an object") }
        var pieces = [[UInt8]?](repeating: nil, count: members.count)
        for member in members {
            guard let id = member.value.int64Value, id >= 0, id < members.count else {
                throw FileError(file: file, "expected the id of \(member.key.debugDescription) to be below the vocabulary size \(members.count)")
            }
            guard let bytes = ByteLevelAlphabet.bytes(of: member.key) else {
                throw FileError(file: file, "piece \(member.key.debugDescription) is not in byte-level (GPT-2) spelling")
            }
            guard pieces[Int(id)] == nil else { throw FileError(file: file, "id \(id) is given to two pieces") }
            pieces[Int(id)] = bytes
        }
        return pieces.map { $0 ?? [] }  // all filled: count ids, each below count, none twice
    }

    private static func checkMerges(_ merges: JSONValue?, pieces: [[UInt8]], file: String) throws {
        guard let merges = merges?.arrayValue else { return }
        var rankOf: [[UInt8]: Int] = [:]
        rankOf.reserveCapacity(pieces.count)
        for (rank, piece) in pieces.enumerated() { rankOf[piece] = rank }
        var previousRank = -1
        for (index, merge) in merges.enumerated() {
            let parts: [String]
            if let text = merge.stringValue {
                parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else {
                parts = merge.arrayValue?.compactMap(\.stringValue) ?? []
            }
            guard parts.count == 2, let left = ByteLevelAlphabet.bytes(of: parts[0]), let right = ByteLevelAlphabet.bytes(of: parts[1]),
                rankOf[left] != nil, rankOf[right] != nil, let joined = rankOf[left + right]
            else {
                throw FileError(file: file, "merge \(index) does not join two pieces of the vocabulary into a third")
            }
            guard joined >= previousRank else {
                throw FileError(file: file, "merge \(index) makes rank \(joined) after rank \(previousRank): merges out of rank order are not supported (only tiktoken-style byte-level BPE)")
            }
            previousRank = joined
        }
    }

    private static func specialTokens(_ added: JSONValue?, rankCount: Int, file: String) throws -> [SpecialToken] {
        var tokens: [SpecialToken] = []
        for item in added?.arrayValue ?? [] where item["special"]?.boolValue ?? false {
            guard let id = item["id"]?.int64Value, let content = item["content"]?.stringValue, let value = Int(exactly: id) else {
                throw FileError(file: file, "expected every added token to have an integer \"id\" and a \"content\" string")
            }
            if value < rankCount { continue }  // a special spelling of an ordinary piece: encoded by rank
            tokens.append(SpecialToken(id: value, name: content))
        }
        return tokens
    }
}
