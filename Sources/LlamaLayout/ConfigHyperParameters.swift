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
        declared.ropeTheta = number("rope_theta")
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
            if declared.ropeTheta == nil { declared.ropeTheta = number("rope_theta", in: scaling, prefix: key + ".") }
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
            declared.ropeScaling = Declared(
                RopeScaling(factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high,
                            originalContextLength: Int(original)),
                key: "config.json \(key)")
        }
        declared.typeProblems = problems
        return declared
    }
}
