import BPETokenizer
import ModelIO

/// The top entries of each position's logits, as `logits --top K` and `--json` print them.
public struct TopLogits: Sendable {
    public struct Entry: Sendable, Equatable {
        public var id: Int
        /// The token's text (lossy UTF-8), nil without a vocabulary.
        public var piece: String?
        public var logit: Float
    }

    public struct Position: Sendable {
        public var id: Int
        public var top: [Entry]
    }

    public let positions: [Position]

    /// The `count` largest logits of each row of `logits` (ties: the smaller id first).
    public init(_ logits: Matrix, ids: [Int], count: Int, vocabulary: Vocabulary?) {
        let tokenizer = vocabulary.map(Tokenizer.init(vocabulary:))
        positions = ids.indices.map { position in
            let row = Array(logits.row(position))
            return Position(id: ids[position], top: Self.largest(count, of: row).map { id in
                Entry(id: id, piece: (try? tokenizer?.decode([id])).flatMap { $0.map { String(decoding: $0, as: UTF8.self) } }, logit: row[id])
            })
        }
    }

    /// The ids of the `count` largest values, largest first (ties: the smaller id first), in one
    /// pass keeping a short sorted list: a 128,256-id row is not sorted for five entries.
    static func largest(_ count: Int, of row: [Float]) -> [Int] {
        var best: [Int] = []
        for id in row.indices where best.count < count || row[id] > row[best[best.count - 1]] {
            let place = best.firstIndex { row[id] > row[$0] } ?? best.count
            best.insert(id, at: place)
            if best.count > count { best.removeLast() }
        }
        return best
    }

    /// `{"positions": [{"id", "top": [{"id", "piece", "logit"}]}]}`
    public var json: JSONValue {
        .object([JSONMember("positions", .array(positions.map { position in
            .object([
                JSONMember("id", .integer(position.id)),
                JSONMember("top", .array(position.top.map { entry in
                    .object([
                        JSONMember("id", .integer(entry.id)),
                        JSONMember("piece", entry.piece.map { .string($0) } ?? .null),
                        JSONMember("logit", .float32(entry.logit)),
                    ])
                })),
            ])
        }))])
    }

    /// One line per position: `POSITION ID: id "piece" logit, ...`.
    public var textLines: [String] {
        positions.enumerated().map { index, position in
            "\(index) \(position.id): " + position.top.map { entry in
                let piece = entry.piece.map { JSONValue.string($0).serialized() + " " } ?? ""
                return "\(entry.id) \(piece)\(entry.logit)"
            }.joined(separator: ", ")
        }
    }
}

extension LogitComparison {
    /// The keys `compare --json` promises (Docs/REFERENCE_MODEL.md).
    public var json: JSONValue {
        .object([
            JSONMember("kl_mean", .double(klMean)),
            JSONMember("kl_max", .double(klMax)),
            JSONMember("top1_agreement", .double(top1Agreement)),
            JSONMember("max_abs_diff", .double(maxAbsDiff)),
            JSONMember("perplexity_a", .double(perplexityA)),
            JSONMember("perplexity_b", .double(perplexityB)),
            JSONMember("positions", .integer(positions)),
        ])
    }

    public var textLines: [String] {
        [
            "positions       \(positions)",
            "kl_mean         \(klMean)",
            "kl_max          \(klMax)",
            "top1_agreement  \(top1Agreement)",
            "max_abs_diff    \(maxAbsDiff)",
            "perplexity_a    \(perplexityA)",
            "perplexity_b    \(perplexityB)",
        ]
    }
}

extension PerplexityRun.Result {
    /// `{"perplexity", "windows", "scored_tokens"}`
    public var json: JSONValue {
        .object([
            JSONMember("perplexity", .double(perplexity)),
            JSONMember("windows", .integer(windows)),
            JSONMember("scored_tokens", .integer(scoredTokens)),
        ])
    }
}
