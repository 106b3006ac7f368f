/// Checks every tensor of the Llama layout against the shape the hyper-parameters give it, and
/// that every layer is complete. One finding per defect, naming the tensor.
struct ShapeValidation {
    let census: TensorCensus
    let model: LlamaHyperParameters
    private(set) var problems: [LayoutFinding] = []

    init(census: TensorCensus, model: LlamaHyperParameters) {
        self.census = census
        self.model = model
    }

    mutating func run() {
        checkWholeModelTensors()
        var missing: [Int] = []
        for index in 0..<model.layers where !checkLayer(index) { missing.append(index) }
        reportMissingLayers(missing)
    }

    /// Runs of absent layers make one finding each ("layers 30-31"), so a lying block count
    /// cannot flood the report.
    private mutating func reportMissingLayers(_ missing: [Int]) {
        let prefix = String(census.naming.layerPrefix.dropLast())
        var start = 0
        while start < missing.count {
            var end = start
            while end + 1 < missing.count && missing[end + 1] == missing[end] + 1 { end += 1 }
            let (first, last) = (missing[start], missing[end])
            problems.append(first == last
                ? LayoutFinding("layer \(first)", "missing: no \(prefix).\(first).* tensors")
                : LayoutFinding("layers \(first)-\(last)", "missing: no \(prefix).N.* tensors for N in \(first)...\(last)"))
            start = end + 1
        }
    }

    /// The shape of each part, row-major (outermost first, as numpy and safetensors list it),
    /// with what each axis means, for the message.
    func expected(_ name: LlamaTensorName) -> (shape: [Int], meaning: String) {
        let m = model
        let queryWidth = m.heads * m.headDim, kvWidth = m.kvHeads * m.headDim
        switch name {
        case .tokenEmbedding, .output: return ([m.vocab, m.dim], "vocab x dim")
        case .outputNorm: return ([m.dim], "dim")
        case .ropeFrequencies: return ([m.headDim / 2], "head_dim / 2")
        case .layer(_, let kind):
            switch kind {
            case .attentionNorm, .feedForwardNorm: return ([m.dim], "dim")
            case .query: return ([queryWidth, m.dim], "heads \(m.heads) x head_dim \(m.headDim), by dim")
            case .key, .value: return ([kvWidth, m.dim], "KV heads \(m.kvHeads) x head_dim \(m.headDim), by dim")
            case .attentionOutput: return ([m.dim, queryWidth], "dim, by heads \(m.heads) x head_dim \(m.headDim)")
            case .gate, .up: return ([m.ffn, m.dim], "FFN x dim")
            case .down: return ([m.dim, m.ffn], "dim x FFN")
            }
        }
    }

    private mutating func checkWholeModelTensors() {
        for name in [LlamaTensorName.tokenEmbedding, .outputNorm, .output, .ropeFrequencies] {
            guard let tensor = census[name] else {
                if name == .tokenEmbedding || name == .outputNorm {
                    problems.append(LayoutFinding(census.displayName(name), "missing"))
                }
                continue
            }
            check(tensor, as: name)
        }
    }

    /// False when the layer has no tensor at all.
    private mutating func checkLayer(_ index: Int) -> Bool {
        guard LlamaLayerTensor.allCases.contains(where: { census[.layer(index, $0)] != nil }) else { return false }
        for kind in LlamaLayerTensor.allCases {
            let name = LlamaTensorName.layer(index, kind)
            guard let tensor = census[name] else {
                problems.append(LayoutFinding(census.displayName(name), "missing"))
                continue
            }
            check(tensor, as: name)
        }
        return true
    }

    private mutating func check(_ tensor: LayoutInput.Tensor, as name: LlamaTensorName) {
        let (shape, meaning) = expected(name)
        guard tensor.shape != shape else { return }
        let reading = interpretation(of: tensor.shape, as: name).map { " (\($0))" } ?? ""
        problems.append(LayoutFinding(
            tensor.name,
            "shape \(Self.format(tensor.shape))\(reading), expected \(Self.format(shape)) (\(meaning))"))
    }

    /// What a wrong shape amounts to, when it is only one hyper-parameter off: "32 KV heads instead of 8".
    private func interpretation(of shape: [Int], as name: LlamaTensorName) -> String? {
        let m = model
        guard case .layer(_, let kind) = name, shape.count == 2 else { return nil }
        switch kind {
        case .query where shape[1] == m.dim && m.headDim > 0 && shape[0] % m.headDim == 0:
            return "\(shape[0] / m.headDim) heads instead of \(m.heads)"
        case .key where shape[1] == m.dim && m.headDim > 0 && shape[0] % m.headDim == 0,
            .value where shape[1] == m.dim && m.headDim > 0 && shape[0] % m.headDim == 0:
            return "\(shape[0] / m.headDim) KV heads instead of \(m.kvHeads)"
        case .gate where shape[1] == m.dim, .up where shape[1] == m.dim:
            return "FFN \(shape[0]) instead of \(m.ffn)"
        case .down where shape[0] == m.dim:
            return "FFN \(shape[1]) instead of \(m.ffn)"
        default:
            return nil
        }
    }

    static func format(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
