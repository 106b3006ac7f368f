import BPETokenizer

/// Recovers the merge list a GGUF (or tokenizer.json) needs from tiktoken-style ranks, which
/// have none: a tiktoken file only lists each piece with its rank.
///
/// Follows the conversion transformers applies to Meta's tokenizer.model (its TikTokenConverter,
/// which made the tokenizer.json that llama.cpp's convert_hf_to_gguf copies into GGUF files): every
/// split of a piece into two pieces is a merge; merges are ordered by the rank of the piece they
/// make, and the merges of one piece by the ranks of their left, then right, halves. For the Llama 3
/// vocabulary this gives 280,147 merges, the count in Meta's tokenizer.json.
public enum MergeRecovery {
    public struct Merge: Equatable, Sendable {
        public var left: Int
        public var right: Int
        /// The rank of the piece left + right.
        public var result: Int
    }

    /// - Parameter pieces: the bytes of rank 0, 1, 2 ...
    public static func merges(rankedPieces pieces: [[UInt8]]) -> [Merge] {
        var rankOf: [ByteString: Int] = [:]
        rankOf.reserveCapacity(pieces.count)
        for (rank, piece) in pieces.enumerated() { rankOf[ByteString(piece)] = rank }

        var merges: [Merge] = []
        merges.reserveCapacity(pieces.count * 5 / 2)
        for (rank, piece) in pieces.enumerated() where piece.count > 1 {
            var local: [Merge] = []
            for split in 1..<piece.count {
                guard let left = rankOf[ByteString(piece[..<split])], let right = rankOf[ByteString(piece[split...])] else { continue }
                local.append(Merge(left: left, right: right, result: rank))
            }
            local.sort { ($0.left, $0.right) < ($1.left, $1.right) }
            merges += local
        }
        return merges
    }

    /// A merge as GGUF `tokenizer.ggml.merges` stores it: both halves in byte-level form, one space between.
    public static func text(_ merge: Merge, pieces: [[UInt8]]) -> String {
        ByteLevelAlphabet.spell(pieces[merge.left]) + " " + ByteLevelAlphabet.spell(pieces[merge.right])
    }
}
