/// Settles each hyper-parameter from the shapes and the declared metadata, and reports every
/// declared value the shapes contradict (one finding per key, naming the tensors that disagree).
///
/// Per-layer quantities take the value most tensors agree on (ties go to the declared value),
/// so one bad tensor is blamed on its own instead of making every other tensor look wrong.
struct HyperParameterResolution {
    let census: TensorCensus
    let declared: DeclaredHyperParameters
    let ropeFrequencyValues: [Float]?
    var problems: [LayoutFinding] = []
    var warnings: [LayoutFinding] = []

    init(census: TensorCensus, declared: DeclaredHyperParameters, ropeFrequencyValues: [Float]? = nil) {
        self.census = census
        self.declared = declared
        self.ropeFrequencyValues = ropeFrequencyValues
    }

    /// nil when not even the model dimension can be found (no tensor carries it).
    mutating func resolve() -> LlamaHyperParameters? {
        guard let dim = settle(declared.dim, observed: dimObservations, what: "model dim") else {
            problems.append(LayoutFinding(
                census.displayName(.tokenEmbedding), "missing, and no other tensor or key gives the model dim"))
            return nil
        }
        let vocab = settle(declared.vocab, observed: rows(of: [.tokenEmbedding, .output]), what: "vocabulary size")
            ?? declared.tokenCount?.value ?? 0
        if let tokens = declared.tokenCount, tokens.value != vocab {
            problems.append(LayoutFinding(
                tokens.key, "has \(tokens.value) tokens but the embedding has \(vocab) rows (llama.cpp sizes it by the tokens)"))
        }
        let ffn = settle(declared.ffn, observed: ffnObservations, what: "FFN size") ?? 0
        let layers = resolveLayers()
        let (heads, kvHeads, headDim) = resolveHeads(dim: dim)
        checkHeadWidthKeys(headDim: headDim, heads: heads, dim: dim)
        let tied = resolveTied()
        var ropeFrequencyTable: Int?
        if let table = census[.ropeFrequencies] { ropeFrequencyTable = table.shape.first ?? 0 }
        if declared.ropeTheta == nil {
            warnings.append(LayoutFinding(
                key("rope.freq_base", "rope_theta"), "missing: loaders fall back to 10000, Llama 3 uses 500000"))
        }
        if declared.contextLength == nil {
            warnings.append(LayoutFinding(key("context_length", "max_position_embeddings"), "missing: the context length is unknown"))
        }
        if let architecture = declared.architecture, architecture.value != "llama" {
            warnings.append(LayoutFinding(
                architecture.key, "is \"\(architecture.value)\", not \"llama\"; the tensors were checked against the Llama layout"))
        }
        return LlamaHyperParameters(
            layers: layers, dim: dim, heads: heads, kvHeads: kvHeads, headDim: headDim, ffn: ffn, vocab: vocab,
            tied: tied, contextLength: declared.contextLength?.value, ropeTheta: declared.ropeTheta?.value,
            ropeScaling: declared.ropeScaling?.value ?? scalingFromFrequencyTable(headDim: headDim),
            ropeFrequencyTable: ropeFrequencyTable,
            rmsNormEpsilon: declared.rmsNormEpsilon?.value)
    }

    /// GGUF stores Llama 3.1 scaling only as rope_freqs' divisors: the known scaling they equal.
    private mutating func scalingFromFrequencyTable(headDim: Int) -> RopeScaling? {
        guard let values = ropeFrequencyValues, let theta = declared.ropeTheta?.value, headDim > 0 else { return nil }
        if let scaling = RopeScaling.matching(values, headDim: headDim, theta: theta) { return scaling }
        warnings.append(LayoutFinding(
            census.displayName(.ropeFrequencies),
            "its divisors match neither Llama 3.1's nor Llama 3.2's rope scaling (theta \(theta), head_dim \(headDim))"))
        return nil
    }

    // MARK: - Observations: (tensor name, the value its shape implies)

    typealias Observation = (tensor: String, value: Int)

    private func observe(_ names: [LlamaTensorName], axis: Int) -> [Observation] {
        names.compactMap { name in
            guard let tensor = census[name], axis < tensor.shape.count else { return nil }
            return (tensor.name, tensor.shape[axis])
        }
    }

    private func layerNames(_ kinds: [LlamaLayerTensor]) -> [LlamaTensorName] {
        census.layerIndices.flatMap { index in kinds.map { LlamaTensorName.layer(index, $0) } }
    }

    private func rows(of names: [LlamaTensorName]) -> [Observation] { observe(names, axis: 0) }

    /// Every place the model dim shows: rows of 1-D norms, columns of input projections,
    /// rows of output projections.
    private var dimObservations: [Observation] {
        observe([.tokenEmbedding, .output], axis: 1)
            + rows(of: [.outputNorm] + layerNames([.attentionNorm, .feedForwardNorm, .attentionOutput, .down]))
            + observe(layerNames([.query, .key, .value, .gate, .up]), axis: 1)
    }

    private var ffnObservations: [Observation] {
        rows(of: layerNames([.gate, .up])) + observe(layerNames([.down]), axis: 1)
    }

    // MARK: - Settling one value

    /// The value most observations agree on (the declared one wins a tie), with one problem
    /// when the declared value differs from it.
    private mutating func settle(_ declared: Declared<Int>?, observed: [Observation], what: String) -> Int? {
        guard let consensus = Self.mostCommon(observed.map(\.value), preferring: declared?.value) else {
            return declared?.value
        }
        if let declared, declared.value != consensus {
            let witnesses = observed.filter { $0.value == consensus }
            problems.append(LayoutFinding(
                declared.key,
                "is \(declared.value) but the shapes give \(what) \(consensus) "
                    + "(\(Self.examples(witnesses.map(\.tensor)))"))
        }
        return consensus
    }

    static func mostCommon(_ values: [Int], preferring preferred: Int?) -> Int? {
        guard !values.isEmpty else { return nil }
        var counts: [Int: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        let best = counts.values.max() ?? 0
        if let preferred, counts[preferred] == best { return preferred }
        // First value in file order among the most frequent, so the choice is deterministic.
        return values.first { counts[$0] == best }
    }

    static func examples(_ names: [String]) -> String {
        switch names.count {
        case 0: return "no tensor)"
        case 1: return names[0] + ")"
        default: return "\(names[0]) and \(names.count - 1) more)"
        }
    }

    // MARK: - Layers

    private mutating func resolveLayers() -> Int {
        let observed = (census.layerIndices.last ?? -1) + 1
        guard let declared = declared.layers else { return observed }
        if declared.value > LlamaTensorName.maximumLayerIndex + 1 {
            problems.append(LayoutFinding(
                declared.key, "is \(declared.value), more layers than any Llama model; the file has \(observed)"))
            return observed
        }
        if observed > declared.value {
            let extra = census.layerIndices.filter { $0 >= declared.value }
            problems.append(LayoutFinding(
                declared.key,
                "is \(declared.value) but the file has tensors for layer \(extra.map(String.init).joined(separator: ", "))"))
            return observed
        }
        return declared.value
    }

    // MARK: - Heads

    /// Query heads, KV heads and head dim from the q and k/v row counts. Shapes alone give only
    /// heads x head_dim, so the head dim comes from metadata, else from rope_freqs (head_dim / 2
    /// entries), else from the declared head count, else Llama 3's 128 (with a warning).
    private mutating func resolveHeads(dim: Int) -> (heads: Int, kvHeads: Int, headDim: Int) {
        let queryRows = Self.mostCommon(
            rows(of: layerNames([.query])).map(\.value) + observe(layerNames([.attentionOutput]), axis: 1).map(\.value),
            preferring: nil)
        let kvRows = Self.mostCommon(rows(of: layerNames([.key, .value])).map(\.value), preferring: nil)

        let headDim = resolveHeadDim(queryRows: queryRows, kvRows: kvRows, dim: dim)
        guard headDim > 0 else { return (declared.heads?.value ?? 0, declared.kvHeads?.value ?? 0, 0) }

        let heads = headCount(rows: queryRows, headDim: headDim, declared: declared.heads,
                              tensors: "attn_q", what: "heads")
        let kvHeads = headCount(rows: kvRows, headDim: headDim, declared: declared.kvHeads,
                                tensors: "attn_k/attn_v", what: "KV heads")
        if kvHeads == 0 {
            problems.append(LayoutFinding(
                declared.kvHeads?.key ?? census.displayName(.layer(0, .key)), "0 KV heads: attention needs at least one"))
        } else if heads % kvHeads != 0 {
            let subject = declared.kvHeads?.key ?? census.displayName(.layer(census.layerIndices.first ?? 0, .key))
            problems.append(LayoutFinding(
                subject,
                "\(heads) heads are not a multiple of \(kvHeads) KV heads: grouped-query attention shares "
                    + "each KV head among the same number of query heads"))
        }
        return (heads, kvHeads, headDim)
    }

    private mutating func resolveHeadDim(queryRows: Int?, kvRows: Int?, dim: Int) -> Int {
        if let stated = declared.headDim { return stated.value }
        if let table = census[.ropeFrequencies], table.shape.count == 1, table.shape[0] > 0 {
            return table.shape[0] * 2
        }
        if let heads = declared.heads, heads.value > 0 {
            if let queryRows, queryRows % heads.value == 0 { return queryRows / heads.value }
            if let dim = declared.dim, dim.value % heads.value == 0 { return dim.value / heads.value }
        }
        if queryRows == nil && declared.heads == nil { return 0 }
        let missingKey = key("attention.head_count", "num_attention_heads")
        // Shapes give heads x head_dim only; a published layout with the same products settles it.
        if let known = KnownLayout.all.first(where: {
            $0.dim == dim && $0.heads * $0.headDim == queryRows && $0.kvHeads * $0.headDim == kvRows
        }) {
            warnings.append(LayoutFinding(
                missingKey, "missing: assumed head_dim \(known.headDim), as in the published \(known.size) layout these shapes match"))
            return known.headDim
        }
        warnings.append(LayoutFinding(missingKey, "missing: assumed head_dim 128 (every Llama 3 size but 3.2 1B) to count heads"))
        return 128
    }

    /// llama.cpp reads a head's width from `attention.key_length` / `value_length`, else takes
    /// dim / heads, whatever `rope.dimension_count` says: a GGUF whose head_dim is not dim / heads
    /// loads here but not in llama.cpp without them. Keys and values share one width in Llama.
    private mutating func checkHeadWidthKeys(headDim: Int, heads: Int, dim: Int) {
        if let value = declared.valueHeadDim, value.value != headDim {
            problems.append(LayoutFinding(
                value.key, "is \(value.value) but head_dim is \(headDim): the Llama layout has one width for keys and values"))
        }
        guard let stated = declared.headDim, stated.key.hasSuffix(".rope.dimension_count"), heads > 0,
              !LlamaHyperParameters.headDimIsDimOverHeads(headDim: headDim, heads: heads, dim: dim) else { return }
        warnings.append(LayoutFinding(
            key("attention.key_length", "head_dim"),
            "missing although head_dim \(headDim) is not dim / heads (\(dim) / \(heads)): llama.cpp takes dim / heads "
                + "and cannot load this file (llama3 convert writes the key)"))
    }

    /// Heads implied by `rows` (heads x head_dim), checked against the declared count.
    private mutating func headCount(
        rows: Int?, headDim: Int, declared: Declared<Int>?, tensors: String, what: String
    ) -> Int {
        guard let rows else { return declared?.value ?? 0 }
        guard rows % headDim == 0 else {
            problems.append(LayoutFinding(
                declared?.key ?? tensors,
                "the \(tensors) tensors have \(rows) rows, not a multiple of head_dim \(headDim)"))
            return declared?.value ?? rows / headDim
        }
        let observed = rows / headDim
        if let declared, declared.value != observed {
            problems.append(LayoutFinding(
                declared.key,
                "is \(declared.value) but the \(tensors) tensors hold \(observed) \(what) of \(headDim) (\(rows) rows)"))
        }
        return observed
    }

    // MARK: - Tied embeddings

    private mutating func resolveTied() -> Bool {
        let hasOutput = census[.output] != nil
        guard let tied = declared.tied else { return !hasOutput }
        if !tied.value && !hasOutput {
            problems.append(LayoutFinding(
                census.displayName(.output), "missing, and \(tied.key) is false (the output matrix is not tied)"))
        } else if tied.value && hasOutput {
            warnings.append(LayoutFinding(
                census.displayName(.output), "present although \(tied.key) is true; loaders use the embedding"))
        }
        return !hasOutput
    }

    /// The name of a key in this file's metadata, for a finding about a missing one.
    private func key(_ ggufSuffix: String, _ configKey: String) -> String {
        if declared.origin == "config.json" { return "config.json \(configKey)" }
        return "\(declared.architecture?.value ?? "llama").\(ggufSuffix)"
    }
}
