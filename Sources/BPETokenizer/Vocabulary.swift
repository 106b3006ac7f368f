import ModelIO

/// A byte-level BPE vocabulary: ranked byte pieces (rank = token id, lower ranks merge first,
/// as in tiktoken) and special tokens with their own ids and names.
///
/// This is also the form other modules exchange vocabularies in (the GGUF tokenizer keys are
/// built from it and read back into it): build one from ranked pieces and special tokens, and
/// read back each rank's bytes and the special tokens.
public struct Vocabulary: Sendable {
    let table: PieceTable
    /// Special tokens sorted by id; every id is at least `rankCount`.
    public let specialTokens: [SpecialToken]
    /// Which naming the special tokens follow, said to the user by `--verbose` and inspect
    /// (for example "llama-models 0.3.0 names (a tokenizer.model carries none)").
    public let specialTokenNaming: String
    /// The ranks of the 256 one-byte pieces, indexed by the byte.
    let byteRanks: [UInt32]
    private let specialIDs: [String: Int]

    /// - Parameters:
    ///   - rankedPieces: the bytes of rank 0, 1, 2...: all different, every single byte among them.
    ///   - specialTokens: ids at or above `rankedPieces.count`, ids and names all different.
    ///   - source: the file the vocabulary came from, named in errors.
    public init(
        rankedPieces: [[UInt8]], specialTokens: [SpecialToken], specialTokenNaming: String, source: String
    ) throws {
        guard rankedPieces.count <= PieceTable.maximumRankCount else {
            throw FileError(file: source, "expected at most \(PieceTable.maximumRankCount) ranked pieces, found \(rankedPieces.count)")
        }
        let table: PieceTable
        do {
            table = try PieceTable(pieces: rankedPieces)
        } catch {
            throw FileError(file: source, "expected different bytes for every rank, but rank \(error.rank) repeats rank \(error.earlierRank)")
        }
        try self.init(table: table, specialTokens: specialTokens, specialTokenNaming: specialTokenNaming, source: source)
    }

    init(table: PieceTable, specialTokens: [SpecialToken], specialTokenNaming: String, source: String) throws {
        var byteRanks = [UInt32](repeating: 0, count: 256)
        for byte in 0..<256 {
            guard let rank = table.rank(of: [UInt8(byte)], 0, 1) else {
                throw FileError(file: source, "expected a piece for every single byte, but byte \(byte) has none")
            }
            byteRanks[byte] = rank
        }
        let sorted = specialTokens.sorted { $0.id < $1.id }
        var ids: [String: Int] = [:]
        for (index, token) in sorted.enumerated() {
            guard token.id >= table.rankCount else {
                throw FileError(file: source, "special token \(token.name) has id \(token.id), expected at least \(table.rankCount) (after the ranked pieces)")
            }
            guard index == 0 || sorted[index - 1].id != token.id else {
                throw FileError(file: source, "special tokens \(sorted[index - 1].name) and \(token.name) share id \(token.id)")
            }
            guard ids.updateValue(token.id, forKey: token.name) == nil else {
                throw FileError(file: source, "special token name \(token.name) is used twice")
            }
        }
        self.table = table
        self.specialTokens = sorted
        self.specialTokenNaming = specialTokenNaming
        self.byteRanks = byteRanks
        self.specialIDs = ids
    }

    /// The number of ranked pieces (128,000 for Llama 3).
    public var rankCount: Int { table.rankCount }

    /// One more than the largest id (128,256 for Llama 3).
    public var idCount: Int { max(rankCount, (specialTokens.last?.id ?? -1) + 1) }

    /// The bytes of the piece of rank `rank` (0 ..< rankCount).
    public func pieceBytes(rank: Int) -> [UInt8] { table.piece(rank) }

    /// The rank of a byte string, if it is a piece.
    public func rank(of bytes: [UInt8]) -> Int? { table.rank(of: bytes, 0, bytes.count).map(Int.init) }

    /// The id of a special token by name, such as `<|eot_id|>`.
    public func specialID(named name: String) -> Int? { specialIDs[name] }

    /// The special token with this id, if it is one.
    public func specialToken(id: Int) -> SpecialToken? {
        var low = 0, high = specialTokens.count
        while low < high {
            let middle = (low + high) / 2
            if specialTokens[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < specialTokens.count && specialTokens[low].id == id ? specialTokens[low] : nil
    }
}

/// A token outside the ranked pieces, such as `<|begin_of_text|>` (id 128000 in Llama 3).
public struct SpecialToken: Hashable, Sendable {
    public var id: Int
    public var name: String

    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}
