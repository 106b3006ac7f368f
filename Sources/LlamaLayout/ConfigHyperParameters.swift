import ModelIO

extension DeclaredHyperParameters {
    /// Reads a Hugging Face `config.json` (LlamaConfig's keys). A key of the wrong type is left out
    /// and reported in `typeProblems`; an unknown rope scaling is reported as a type problem too.
    public static func fromConfigJSON(
        _ config: JSONValue
    ) -> DeclaredHyperParameters {
        var declared = DeclaredHyperParameters()
        declared.origin = "config.json"
        var problems: [MetadataTypeProblem] = []

        func count(_ key: String, in object: JSONValue = config, prefix: String = "") -> Declared<Int>? {
            guard let value = object[key], value != .null else { return nil }
            guard let number = value.int64Value, number >= 0, number <= Int64(MetadataScalar.maximumCount) else {
                problems.append(MetadataTypeProblem(key: "config.json \(prefix)\(key)", expected: "a non-negative integer below 2^31"))
                return nil
            }
            return Declared(Int(number), key: "config.json \(prefix)\(key)")
        }
        func number(_ key: String, in object: JSONValue = config, prefix: String = "") -> Declared<Double>? {
            guard let value = object[key], value != .null else { return nil }
            guard let number = value.doubleValue else {
                problems.append(MetadataTypeProblem(key: "config.json \(prefix)\(key)", expected: "a number"))
                return nil
            }
            return Declared(number, key: "config.json \(prefix)\(key)")
        }

        if let type = config["model_type"]?.stringValue {
            declared.architecture = Declared(type, key: "config.json model_type")
        }
        declared.layers = count("num_hidden_layers")
        declared.dim = count("hidden_size")
        declared.heads = count("num_attention_heads")
        // LlamaConfig defaults num_key_value_heads to num_attention_heads (no GQA) when absent.
        declared.kvHeads = count("num_key_value_heads")
        declared.headDim = count("head_dim")
        declared.ffn = count("intermediate_size")
        declared.vocab = count("vocab_size")
        declared.contextLength = count("max_position_embeddings")
        declared.rmsNormEpsilon = number("rms_norm_eps")
        declared.ropeTheta = positive(number("rope_theta"), &problems)
        for key in ["bos_token_id", "eos_token_id"] {
            guard let value = config[key], value != .null else { continue }
            let ids = value.arrayValue ?? [value]
            if !ids.allSatisfy({ $0.int64Value.map { $0 >= 0 && $0 <= Int64(MetadataScalar.maximumCount) } ?? false }) {
                problems.append(MetadataTypeProblem(
                    key: "config.json \(key)", expected: "a token id (or a list of them) from 0 to 2^31, found \(value.serialized())"))
            }
        }
        if let tied = config["tie_word_embeddings"] {
            if let flag = tied.boolValue {
                declared.tied = Declared(flag, key: "config.json tie_word_embeddings")
            } else {
                problems.append(MetadataTypeProblem(key: "config.json tie_word_embeddings", expected: "true or false"))
            }
        }

        // transformers 4.x: "rope_scaling"; newer releases: "rope_parameters" (which may also hold the theta).
        for key in ["rope_scaling", "rope_parameters"] {
            guard let scaling = config[key], scaling != .null else { continue }
            if declared.ropeTheta == nil {
                declared.ropeTheta = positive(number("rope_theta", in: scaling, prefix: key + "."), &problems)
            }
            let type = scaling["rope_type"]?.stringValue ?? scaling["type"]?.stringValue
            if type == "default" || type == nil && scaling["factor"] == nil { continue }
            guard type == "llama3",
                let factor = scaling["factor"]?.doubleValue,
                let low = scaling["low_freq_factor"]?.doubleValue,
                let high = scaling["high_freq_factor"]?.doubleValue,
                let original = scaling["original_max_position_embeddings"]?.int64Value, original > 0
            else {
                problems.append(MetadataTypeProblem(
                    key: "config.json \(key)",
                    expected: "Llama 3.1 rope scaling (rope_type \"llama3\", factor, low_freq_factor, high_freq_factor, original_max_position_embeddings)"))
                continue
            }
            // The frequency divisors divide by factor and by high - low: each must make sense.
            let nonsense = [
                (factor > 0 && factor.isFinite, "factor", "a positive finite number, found \(factor)"),
                (low > 0 && low.isFinite, "low_freq_factor", "a positive finite number, found \(low)"),
                (high > low && high.isFinite, "high_freq_factor", "a finite number above low_freq_factor \(low), found \(high)"),
            ].filter { !$0.0 }
            for (_, name, expected) in nonsense {
                problems.append(MetadataTypeProblem(key: "config.json \(key).\(name)", expected: expected))
            }
            guard nonsense.isEmpty else { continue }
            declared.ropeScaling = Declared(
                RopeScaling(factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high,
                            originalContextLength: Int(original)),
                key: "config.json \(key)")
        }
        declared.typeProblems = problems
        return declared
    }
}

/// A rope theta divides the rotation frequencies: zero, negative or NaN makes them meaningless.
/// Such a value is reported with its key and left out.
func positive(_ value: Declared<Double>?, _ problems: inout [MetadataTypeProblem]) -> Declared<Double>? {
    guard let value else { return nil }
    guard value.value > 0, value.value.isFinite else {
        problems.append(MetadataTypeProblem(key: value.key, expected: "a positive finite number, found \(value.value)"))
        return nil
    }
    return value
}
