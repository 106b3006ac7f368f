import ModelIO

extension DeclaredHyperParameters {
    /// Reads Meta's params.json (the `ModelArgs` of Llama 3's reference code): dim, n_layers,
    /// n_heads, n_kv_heads, vocab_size, multiple_of, ffn_dim_multiplier, norm_eps, rope_theta,
    /// use_scaled_rope. `config` is a config.json lying beside it, if any (the `original/` folder
    /// of a Hugging Face repository has one a level up; Llama 3.2's states factor 32).
    ///
    /// - The FFN size is not stated: it is 2/3 of 4 x dim, times ffn_dim_multiplier, rounded up to
    ///   a multiple of multiple_of, as the reference `FeedForward` computes it.
    /// - `use_scaled_rope` means the reference code's `apply_scaling`: factor 8, low and high
    ///   frequency factors 1 and 4, original context 8192, unless config.json states others.
    /// - The context length is not stated either: config.json's max_position_embeddings, else
    ///   131072 with scaled rope (Llama 3.1 and later) and 8192 without (Llama 3).
    public static func fromParamsJSON(_ params: JSONValue, config: JSONValue? = nil) -> DeclaredHyperParameters {
        var declared = DeclaredHyperParameters()
        var problems: [MetadataTypeProblem] = []
        declared.origin = "params.json"

        func count(_ key: String) -> Declared<Int>? {
            guard let value = params[key], value != .null else { return nil }
            guard let number = value.int64Value, number >= 0, number <= Int64(MetadataScalar.maximumCount) else {
                // Llama 2's params.json says vocab_size -1: the tokenizer decides.
                if key == "vocab_size", value.int64Value == -1 { return nil }
                problems.append(MetadataTypeProblem(key: "params.json \(key)", expected: "a non-negative integer below 2^31"))
                return nil
            }
            return Declared(Int(number), key: "params.json \(key)")
        }
        func number(_ key: String) -> Declared<Double>? {
            guard let value = params[key], value != .null else { return nil }
            guard let number = value.doubleValue else {
                problems.append(MetadataTypeProblem(key: "params.json \(key)", expected: "a number"))
                return nil
            }
            return Declared(number, key: "params.json \(key)")
        }

        declared.architecture = Declared("llama", key: "params.json")
        declared.dim = count("dim")
        declared.layers = count("n_layers")
        declared.heads = count("n_heads")
        // ModelArgs: n_kv_heads None means one KV head per query head.
        declared.kvHeads = count("n_kv_heads") ?? declared.heads.map { Declared($0.value, key: "params.json n_heads (no n_kv_heads)") }
        declared.vocab = count("vocab_size")
        declared.rmsNormEpsilon = number("norm_eps")
        declared.ropeTheta = number("rope_theta")
        if let dim = declared.dim?.value {
            declared.ffn = feedForwardSize(dim: dim, multipleOf: count("multiple_of")?.value, multiplier: number("ffn_dim_multiplier")?.value)
        }

        let scaled: Bool
        switch params["use_scaled_rope"] {
        case nil, .null?: scaled = false
        case .bool(let flag)?: scaled = flag
        default:
            problems.append(MetadataTypeProblem(key: "params.json use_scaled_rope", expected: "true or false"))
            scaled = false
        }
        let beside = config.map(fromConfigJSON)
        if scaled {
            if let stated = beside?.ropeScaling {
                declared.ropeScaling = Declared(stated.value, key: "\(stated.key) (for params.json use_scaled_rope)")
                declared.origin = "params.json, rope scaling factors from config.json"
            } else {
                declared.ropeScaling = Declared(.llama31, key: "params.json use_scaled_rope")
            }
        }
        declared.contextLength = beside?.contextLength
            ?? Declared(scaled ? 131_072 : 8192, key: "params.json (no context length: Llama 3\(scaled ? ".1" : "")'s)")
        declared.typeProblems = problems
        return declared
    }

    /// The reference code's FFN size: int(2 * 4 * dim / 3), times the multiplier (truncated),
    /// rounded up to a multiple of multiple_of. 8B: 4096 -> 14336; 70B: 8192 -> 28672.
    static func feedForwardSize(dim: Int, multipleOf: Int?, multiplier: Double?) -> Declared<Int>? {
        guard let multipleOf, multipleOf > 0, dim <= MetadataScalar.maximumCount else { return nil }
        var hidden = 2 * (4 * dim) / 3
        if let multiplier {
            guard multiplier > 0, multiplier < 1000 else { return nil }
            hidden = Int(multiplier * Double(hidden))
        }
        hidden = multipleOf * ((hidden + multipleOf - 1) / multipleOf)
        return Declared(hidden, key: "params.json dim, multiple_of and ffn_dim_multiplier")
    }
}
