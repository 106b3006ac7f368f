import ModelIO

/// The `model`, `problems` and `warnings` members of inspect's JSON (Docs/INSPECT.md has the schema).
extension LlamaAnalysis {
    /// The members to add to the report, in schema order. `model` is null for a file without
    /// Llama layer tensors; `problems` and `warnings` are always arrays.
    public var jsonMembers: [JSONMember] {
        [
            JSONMember("model", model?.json ?? .null),
            JSONMember("problems", .array(problems.map(\.json))),
            JSONMember("warnings", .array(warnings.map(\.json))),
        ]
    }
}

extension LayoutFinding {
    public var json: JSONValue {
        .object([JSONMember("subject", .string(subject)), JSONMember("message", .string(message))])
    }
}

extension LlamaModelReport {
    public var json: JSONValue {
        let h = hyperParameters
        return .object([
            JSONMember("variant", variant.name.map { .string($0) } ?? .null),
            JSONMember("nearest_variant", variant.nearest.map { .string($0) } ?? .null),
            JSONMember("differences", .array(variant.differences.map { .string($0) })),
            JSONMember("naming", .string(naming.rawValue)),
            JSONMember("hyperparameters_from", hyperParametersOrigin.map { .string($0) } ?? .null),
            JSONMember("layers", .integer(h.layers)),
            JSONMember("dim", .integer(h.dim)),
            JSONMember("heads", .integer(h.heads)),
            JSONMember("kv_heads", .integer(h.kvHeads)),
            JSONMember("head_dim", .integer(h.headDim)),
            JSONMember("ffn", .integer(h.ffn)),
            JSONMember("vocab", .integer(h.vocab)),
            JSONMember("tied", .bool(h.tied)),
            JSONMember("context_length", h.contextLength.map { .integer($0) } ?? .null),
            JSONMember("rms_norm_eps", h.rmsNormEpsilon.map(Self.number) ?? .null),
            JSONMember("rope", ropeJSON),
            JSONMember("parameters", .integer(figures.parameters)),
            JSONMember("size_by_dtype", .array(figures.sizeByDType.map(\.json))),
            JSONMember("memory_bytes", .integer(figures.weightBytes)),
            JSONMember("kv_cache", figures.kvCache?.json ?? .null),
        ])
    }

    private var ropeJSON: JSONValue {
        let h = hyperParameters
        let scaling: JSONValue = h.ropeScaling.map { scaling in
            .object([
                JSONMember("type", "llama3"),
                JSONMember("factor", Self.number(scaling.factor)),
                JSONMember("low_freq_factor", Self.number(scaling.lowFrequencyFactor)),
                JSONMember("high_freq_factor", Self.number(scaling.highFrequencyFactor)),
                JSONMember("original_context_length", .integer(scaling.originalContextLength)),
            ])
        } ?? .null
        return .object([
            JSONMember("theta", h.ropeTheta.map(Self.number) ?? .null),
            JSONMember("scaling", scaling),
            JSONMember("frequency_table", h.ropeFrequencyTable.map { .integer($0) } ?? .null),
        ])
    }

    /// A number as the file meant it: GGUF stores most floats as f32, and 1e-5 read as f32 is
    /// 9.999999747378752e-06 in f64; print such values as the float32 they are.
    static func number(_ value: Double) -> JSONValue {
        if let whole = Int64(exactly: value) { return .int(whole) }
        if let single = Float(exactly: value) { return .float32(single) }
        return .double(value)
    }
}

extension DTypeShare {
    var json: JSONValue {
        .object([
            JSONMember("dtype", .string(dtype)), JSONMember("tensors", .integer(tensors)),
            JSONMember("parameters", .integer(parameters)), JSONMember("bytes", .integer(bytes)),
        ])
    }
}

extension KVCacheFigures {
    var json: JSONValue {
        .object([
            JSONMember("dtype", .string(dtype)),
            JSONMember("bytes_per_token", .integer(bytesPerToken)),
            JSONMember("f16_bytes_per_token", .integer(f16BytesPerToken)),
            JSONMember("full_attention_f16_bytes_per_token", .integer(fullAttentionF16BytesPerToken)),
            JSONMember("gqa_saving", .integer(gqaSaving)),
            JSONMember("f16_bytes_at_context_length", f16BytesAtContext.map { .integer($0) } ?? .null),
            // The cache's own types (llama.cpp's default F16, and F32), whatever the weights' type.
            JSONMember("bytes_per_token_f16", .integer(f16BytesPerToken)),
            JSONMember("bytes_per_token_f32", .integer(f32BytesPerToken)),
        ])
    }
}
