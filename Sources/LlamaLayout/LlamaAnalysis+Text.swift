/// The `model` part of inspect's text output: a few lines a person reads at a glance.
extension LlamaModelReport {
    public var textLines: [String] {
        let h = hyperParameters
        let naming = self.naming.label
        let origin = hyperParametersOrigin.map { ", hyper-parameters from \($0)" } ?? ", hyper-parameters from shapes only"
        var lines = ["model:       \(variant.summary) (\(naming) tensor names\(origin))"]
        lines.append(
            "layout:      \(h.layers) layers, dim \(h.dim), \(h.heads) heads, \(h.kvHeads) KV heads x \(h.headDim), "
                + "FFN \(h.ffn), vocab \(h.vocab), " + (h.tied ? "output tied to the embedding" : "separate output"))
        lines.append("parameters:  \(Self.grouped(figures.parameters)) (\(Self.billions(figures.parameters)))")
        let shares = figures.sizeByDType.map { "\($0.dtype) \(Self.bytes($0.bytes)) in \($0.tensors) tensors" }
        lines.append("weights:     \(Self.bytes(figures.weightBytes)) to load: " + shares.joined(separator: ", "))
        lines.append("rope:        " + ropeText + contextText)
        if let cache = figures.kvCache { lines.append("KV cache:    " + Self.kvCacheText(cache, context: h.contextLength)) }
        return lines
    }

    private var ropeText: String {
        let h = hyperParameters
        var parts = [h.ropeTheta.map { "theta \(Self.decimal($0))" } ?? "theta not stated"]
        if let scaling = h.ropeScaling {
            let form = h.ropeFrequencyTable.map { " as a rope_freqs table of \($0)" } ?? ""
            parts.append("Llama 3.1 scaling\(form) (factor \(Self.decimal(scaling.factor)), low/high frequency factor "
                + "\(Self.decimal(scaling.lowFrequencyFactor))/\(Self.decimal(scaling.highFrequencyFactor)), "
                + "original context \(scaling.originalContextLength))")
        } else if let table = h.ropeFrequencyTable {
            parts.append("Llama 3.1 scaling as a rope_freqs table of \(table)")
        } else {
            parts.append("no scaling")
        }
        return parts.joined(separator: ", ")
    }

    private var contextText: String {
        hyperParameters.contextLength.map { "; context \($0) tokens" } ?? "; context length not stated"
    }

    static func kvCacheText(_ cache: KVCacheFigures, context: Int?) -> String {
        // Priced at the cache's types, not the weights': llama.cpp caches F16 unless told otherwise.
        var text = "\(bytes(cache.f16BytesPerToken)) per token at F16 (\(bytes(cache.f32BytesPerToken)) at F32)"
        text += "; GQA makes it \(cache.gqaSaving)x smaller than full attention (\(bytes(cache.fullAttentionF16BytesPerToken)))"
        if let context, let total = cache.f16BytesAtContext { text += "; \(bytes(total)) for \(context) tokens" }
        return text
    }

    /// 8030261248 -> "8,030,261,248"
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// 8030261248 -> "8.03B"
    static func billions(_ value: Int) -> String {
        if value >= 1_000_000_000 { return fixed(Double(value) / 1e9, 2) + "B" }
        return fixed(Double(value) / 1e6, 1) + "M"
    }

    /// Binary units, as memory is counted: "14.96 GiB", "128 KiB".
    static func bytes(_ value: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value), unit = 0
        while amount >= 1024 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        if unit == 0 { return "\(value) bytes" }
        return (amount == amount.rounded() ? String(Int(amount)) : fixed(amount, 2)) + " " + units[unit]
    }

    static func fixed(_ value: Double, _ places: Int) -> String {
        let scale = places == 1 ? 10.0 : 100.0
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < places { text += String(repeating: "0", count: places - decimals) }
        }
        return text
    }

    /// 500000.0 -> "500000", 0.5 -> "0.5"
    static func decimal(_ value: Double) -> String {
        if let whole = Int64(exactly: value) { return String(whole) }
        if let single = Float(exactly: value) { return "\(single)" }
        return "\(value)"
    }
}
