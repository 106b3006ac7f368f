import Quantization

/// llama-quantize's default per-tensor mix (llama.cpp's `llama_tensor_get_type` in
/// src/llama-quant.cpp, as of llama-cpp-python 0.3.36), for the Llama architecture and the
/// whole-file types `--type` takes: which tensors it quantizes at all, which get more bits than
/// the file's base type (the output matrix, attn_v and ffn_down in the layers `usesMoreBits`
/// picks, the GQA-dependent cases), and the fallback types for rows that do not fill a block.
/// No importance matrix, so none of its imatrix-only rules apply.
struct LlamaQuantizationMix {
    typealias Model = TypePlan.ModelShape

    /// One tensor as the mix sees it: its GGUF name, its ggml row length (the innermost
    /// dimension) and its number of significant dimensions.
    struct Tensor {
        let name: String
        let rowLength: Int
        let dimensions: Int
    }

    enum Category {
        case output, tokenEmbedding, attentionV, attentionK, attentionQ, attentionOutput
        case ffnUp, ffnGate, ffnDown, other

        /// llama.cpp's `tensor_get_category`: by name, the first match wins.
        init(_ name: String) {
            if name == "output.weight" { self = .output }
            else if name == "token_embd.weight" || name == "per_layer_token_embd.weight" { self = .tokenEmbedding }
            else if ["attn_qkv.weight", "attn_kv_b.weight", "attn_v.weight"].contains(where: name.contains) { self = .attentionV }
            else if name.contains("attn_k.weight") { self = .attentionK }
            else if name.contains("attn_q.weight") { self = .attentionQ }
            else if name.contains("attn_output.weight") { self = .attentionOutput }
            else if name.contains("ffn_up") { self = .ffnUp }
            else if name.contains("ffn_gate") { self = .ffnGate }
            else if name.contains("ffn_down") { self = .ffnDown }
            else { self = .other }
        }
    }

    let fileType: WholeFileType
    let model: Model

    /// Each tensor's target format, or nil where llama-quantize leaves the tensor as it is; in
    /// the order given. A row that fits neither the type nor its fallback gets F16, as in llama.cpp.
    func targets(_ tensors: [Tensor]) -> [ElementFormat?] {
        var state = Counters(
            attentionVCount: tensors.filter { Category($0.name) == .attentionV }.count,
            tiedEmbeddings: !tensors.contains { $0.name == "output.weight" })
        var targets = [ElementFormat?](repeating: nil, count: tensors.count)
        // llama.cpp visits tensors by layer number, then name (its weights map's order): the
        // counters that pick attn_v's and ffn_down's layers run in that order.
        for index in tensors.indices.sorted(by: { Self.visitsBefore(tensors[$0].name, tensors[$1].name) }) {
            let tensor = tensors[index]
            guard Self.allowsQuantization(tensor) else { continue }
            guard fileType.isQuantized else {
                targets[index] = fileType.baseFormat
                continue
            }
            let chosen = format(for: tensor, category: Category(tensor.name), state: &state)
            targets[index] = Self.fallback(chosen, rowLength: tensor.rowLength)
        }
        return targets
    }

    struct Counters {
        let attentionVCount: Int
        let tiedEmbeddings: Bool
        var attentionV = 0
        var ffnDown = 0
    }

    /// llama.cpp's `use_more_bits`: the first and last eighth of the layers and every third between.
    static func usesMoreBits(_ layer: Int, of layers: Int) -> Bool {
        layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2
    }

    private func format(for tensor: Tensor, category: Category, state: inout Counters) -> ElementFormat {
        let base = fileType.baseFormat
        switch category {
        case .output, .tokenEmbedding where state.tiedEmbeddings:
            if tensor.rowLength % base.elementsPerBlock != 0 { return .q8_0 }
            return base == .q8_0 ? .q8_0 : .q6_K
        case .attentionV:
            defer { state.attentionV += 1 }
            return attentionVFormat(layer: state.attentionV, of: state.attentionVCount)
        case .attentionK:
            return model.experts == 8 ? .q8_0 : base
        case .ffnDown:
            defer { state.ffnDown += 1 }
            return ffnDownFormat(layer: state.ffnDown, of: model.layers)
        case .attentionOutput:
            return attentionOutputFormat()
        default:
            return base
        }
    }

    private func attentionVFormat(layer: Int, of count: Int) -> ElementFormat {
        var chosen = fileType.baseFormat
        switch fileType {
        case .q2_k: chosen = model.groupedQueries >= 4 ? .q4_K : .q3_K
        case .q3_k_m: chosen = layer < 2 ? .q5_K : .q4_K
        case .q3_k_l: chosen = .q5_K
        case .q4_k_m, .q5_k_m: if Self.usesMoreBits(layer, of: count) { chosen = .q6_K }
        case .q4_k_s: if layer < 4 { chosen = .q5_K }
        default: break
        }
        // 70B: eight query heads share each attn_v, a small tensor worth more bits.
        if model.is70B && (chosen == .q3_K || chosen == .q4_K) { chosen = .q5_K }
        if model.experts == 8 { chosen = .q8_0 }
        return chosen
    }

    private func ffnDownFormat(layer: Int, of layers: Int) -> ElementFormat {
        switch fileType {
        case .q2_k: return .q3_K
        case .q3_k_m: return layer < layers / 16 ? .q5_K : .q4_K
        case .q3_k_l: return .q5_K
        case .q4_k_m: return Self.usesMoreBits(layer, of: layers) ? .q6_K : .q4_K
        case .q5_k_m: return Self.usesMoreBits(layer, of: layers) ? .q6_K : .q5_K
        case .q4_k_s: return layer < layers / 8 ? .q5_K : .q4_K
        default: return fileType.baseFormat
        }
    }

    private func attentionOutputFormat() -> ElementFormat {
        if model.experts == 8 {
            return [.q2_k, .q3_k_s, .q3_k_m, .q4_k_s, .q4_k_m].contains(fileType) ? .q5_K : fileType.baseFormat
        }
        switch fileType {
        case .q2_k: return .q3_K
        case .q3_k_m: return .q4_K
        case .q3_k_l: return .q5_K
        default: return fileType.baseFormat
        }
    }

    /// llama.cpp's `tensor_type_fallback`: a row that does not fill a block of `format` takes the
    /// 32-value type of about the same size; if that does not fit either, F16.
    static func fallback(_ format: ElementFormat, rowLength: Int) -> ElementFormat {
        guard rowLength % format.elementsPerBlock != 0 else { return format }
        let smaller: ElementFormat
        switch format {
        case .q2_K, .q3_K: smaller = .q4_0
        case .q4_K: smaller = .q5_0
        case .q5_K: smaller = .q5_1
        case .q6_K: smaller = .q8_0
        default: smaller = format
        }
        return rowLength % smaller.elementsPerBlock == 0 ? smaller : .f16
    }

    /// llama.cpp's `tensor_allows_quantization` for the names a Llama-family GGUF can hold: 2-D
    /// or more, a name ending in "weight", and not a norm, an expert router or a positional table.
    static func allowsQuantization(_ tensor: Tensor) -> Bool {
        guard tensor.dimensions >= 2, tensor.name.hasSuffix("weight") else { return false }
        let kept = [
            "_norm.weight", "ffn_gate_inp.weight", "ffn_gate_tid2eid.weight", "altup", "laurel",
            "per_layer_model_proj", "ssm_conv1d", "shortconv.conv.weight", "attn_rel_b.weight",
            ".position_embd", ".rel_pos", ".patch_embd", ".patch_merger",
        ]
        if kept.contains(where: tensor.name.contains) { return false }
        return tensor.name != "position_embd.weight" && tensor.name != "token_types.weight"
    }

    /// llama.cpp's weight order: by the N of "blk.N." (-1 for other tensors), then by name.
    static func visitsBefore(_ a: String, _ b: String) -> Bool {
        let (layerA, layerB) = (layer(of: a), layer(of: b))
        return layerA != layerB ? layerA < layerB : a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func layer(of name: String) -> Int {
        guard name.hasPrefix("blk.") else { return -1 }
        return Int(name.dropFirst(4).prefix { $0.isNumber }) ?? -1
    }
}

extension TypePlan.ModelShape {
    /// Query heads per KV head (hparams.n_gqa(); 0 without KV heads).
    var groupedQueries: Int { kvHeads == 0 ? 0 : heads / kvHeads }
    /// llama.cpp's LLM_TYPE_70B: 80 layers with grouped KV heads.
    var is70B: Bool { layers == 80 && heads != kvHeads }
}
