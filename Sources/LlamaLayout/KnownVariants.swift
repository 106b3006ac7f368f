/// The published Llama 3 layouts, so inspect can say "Llama 3 8B" or how a file differs from the nearest one.
public struct KnownLayout: Sendable, Equatable {
    /// "8B", "70B", ...
    public var size: String
    public var layers: Int
    public var dim: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var ffn: Int
    public var vocab: Int
    public var tied: Bool
    /// Release name with and without Llama 3.1 rope scaling; nil where that release has no such size.
    public var unscaledRelease: String?
    public var scaledRelease: String

    /// Sizes from Meta's published configs (llama-models 0.3.0, HF config.json of each release).
    /// Llama 3.3 70B has Llama 3.1 70B's layout, so a file cannot tell them apart.
    public static let all: [KnownLayout] = [
        KnownLayout(size: "8B", layers: 32, dim: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336,
                    vocab: 128_256, tied: false, unscaledRelease: "Llama 3", scaledRelease: "Llama 3.1"),
        KnownLayout(size: "70B", layers: 80, dim: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 28672,
                    vocab: 128_256, tied: false, unscaledRelease: "Llama 3", scaledRelease: "Llama 3.1"),
        KnownLayout(size: "405B", layers: 126, dim: 16384, heads: 128, kvHeads: 8, headDim: 128, ffn: 53248,
                    vocab: 128_256, tied: false, unscaledRelease: nil, scaledRelease: "Llama 3.1"),
        KnownLayout(size: "1B", layers: 16, dim: 2048, heads: 32, kvHeads: 8, headDim: 64, ffn: 8192,
                    vocab: 128_256, tied: true, unscaledRelease: nil, scaledRelease: "Llama 3.2"),
        KnownLayout(size: "3B", layers: 28, dim: 3072, heads: 24, kvHeads: 8, headDim: 128, ffn: 8192,
                    vocab: 128_256, tied: true, unscaledRelease: nil, scaledRelease: "Llama 3.2"),
    ]

    /// The release name for a file with or without rope scaling: "Llama 3.1 8B".
    public func name(ropeScaled: Bool) -> String {
        let release = ropeScaled ? scaledRelease : (unscaledRelease ?? scaledRelease)
        return "\(release) \(size)"
    }

    /// The hyper-parameters that differ, as "layers 16 (Llama 3 8B has 32)".
    func differences(from model: LlamaHyperParameters) -> [(field: String, theirs: Int, ours: Int)] {
        let pairs: [(String, Int, Int)] = [
            ("layers", model.layers, layers), ("dim", model.dim, dim), ("heads", model.heads, heads),
            ("kv_heads", model.kvHeads, kvHeads), ("head_dim", model.headDim, headDim), ("ffn", model.ffn, ffn),
            ("vocab", model.vocab, vocab), ("tied", model.tied ? 1 : 0, tied ? 1 : 0),
        ]
        return pairs.filter { $0.1 != $0.2 }.map { (field: $0.0, theirs: $0.1, ours: $0.2) }
    }
}

/// Which known layout a model is, or which it is closest to and how it differs.
public struct VariantMatch: Sendable, Equatable {
    /// "Llama 3 8B" when every hyper-parameter matches a known layout.
    public var name: String?
    /// The nearest known layout when none matches.
    public var nearest: String?
    /// How the file differs from `nearest`: "layers 16 (Llama 3 8B: 32)".
    public var differences: [String]

    public static func identify(_ model: LlamaHyperParameters) -> VariantMatch {
        let scaled = model.hasRopeScaling
        let ranked = KnownLayout.all.map { ($0, $0.differences(from: model)) }
        // Fewest differing fields wins; the table order breaks ties.
        guard let (best, differences) = ranked.min(by: { $0.1.count < $1.1.count }) else {
            return VariantMatch(name: nil, nearest: nil, differences: [])
        }
        if differences.isEmpty { return VariantMatch(name: best.name(ropeScaled: scaled), nearest: nil, differences: []) }
        let nearest = best.name(ropeScaled: scaled)
        let described = differences.map { difference in
            difference.field == "tied"
                ? (difference.theirs == 1 ? "tied embeddings (\(nearest): separate output)" : "separate output (\(nearest): tied embeddings)")
                : "\(difference.field) \(difference.theirs) (\(nearest): \(difference.ours))"
        }
        return VariantMatch(name: nil, nearest: nearest, differences: described)
    }

    /// One phrase: "Llama 3 8B", or "unknown Llama-architecture layout, nearest Llama 3 8B: layers 16 (...)".
    public var summary: String {
        if let name { return name }
        guard let nearest else { return "unknown Llama-architecture layout" }
        return "unknown Llama-architecture layout; nearest \(nearest), differs in " + differences.joined(separator: ", ")
    }
}
