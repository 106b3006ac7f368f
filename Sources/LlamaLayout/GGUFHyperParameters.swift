/// A metadata value as the hyper-parameter readers see it: GGUF stores counts as u32 or u64,
/// signed or not, and floats as f32 or f64, so every integer and float type collapses here.
public enum MetadataScalar: Sendable, Equatable {
    case integer(Int64)
    case unsigned(UInt64)
    case float(Double)
    case bool(Bool)
    case string(String)
    /// An array: only its length matters here (`tokenizer.ggml.tokens` gives the vocabulary size).
    case array(count: Int)

    /// A non-negative integer below `maximumCount`; a float is accepted only when it is whole.
    var count: Int? {
        let limit = Self.maximumCount
        switch self {
        case .integer(let value): return value >= 0 && value <= Int64(limit) ? Int(value) : nil
        case .unsigned(let value): return value <= UInt64(limit) ? Int(value) : nil
        case .float(let value): return value >= 0 && value <= Double(limit) && value.rounded() == value ? Int(value) : nil
        default: return nil
        }
    }

    /// Bigger than any real hyper-parameter, small enough that products of two never overflow.
    static let maximumCount = 1 << 31

    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .unsigned(let value): Double(value)
        case .float(let value): value
        default: nil
        }
    }
}

/// A metadata key whose value has the wrong type for what it states.
public struct MetadataTypeProblem: Sendable, Equatable {
    public var key: String
    public var expected: String
}

extension DeclaredHyperParameters {
    /// Reads llama.cpp's keys (`general.architecture`, then `ARCH.block_count`, `ARCH.attention.head_count` ...).
    /// A key of the wrong type (a string head count) is left out and reported in `typeProblems`.
    public static func fromGGUF(
        metadata lookup: (String) -> MetadataScalar?
    ) -> DeclaredHyperParameters {
        var declared = DeclaredHyperParameters()
        declared.origin = "GGUF metadata"
        var problems: [MetadataTypeProblem] = []

        if case .string(let name)? = lookup("general.architecture") {
            declared.architecture = Declared(name, key: "general.architecture")
        }
        let arch = declared.architecture?.value ?? "llama"

        func count(_ suffix: String) -> Declared<Int>? {
            let key = "\(arch).\(suffix)"
            guard let value = lookup(key) else { return nil }
            guard let count = value.count else {
                problems.append(MetadataTypeProblem(key: key, expected: "a non-negative integer below 2^31"))
                return nil
            }
            return Declared(count, key: key)
        }
        func number(_ suffix: String) -> Declared<Double>? {
            let key = "\(arch).\(suffix)"
            guard let value = lookup(key) else { return nil }
            guard let number = value.number else {
                problems.append(MetadataTypeProblem(key: key, expected: "a number"))
                return nil
            }
            return Declared(number, key: key)
        }

        declared.layers = count("block_count")
        declared.dim = count("embedding_length")
        declared.heads = count("attention.head_count")
        declared.kvHeads = count("attention.head_count_kv")
        declared.headDim = count("attention.key_length") ?? count("rope.dimension_count")
        declared.valueHeadDim = count("attention.value_length")
        declared.ffn = count("feed_forward_length")
        declared.contextLength = count("context_length")
        declared.ropeTheta = positive(number("rope.freq_base"), &problems)
        for key in ["tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id"] {
            if let value = lookup(key), value.count == nil {
                problems.append(MetadataTypeProblem(key: key, expected: "a token id from 0 to 2^31"))
            }
        }
        declared.rmsNormEpsilon = number("attention.layer_norm_rms_epsilon")
        declared.vocab = count("vocab_size")
        if case .array(let tokens)? = lookup("tokenizer.ggml.tokens") {
            declared.tokenCount = Declared(tokens, key: "tokenizer.ggml.tokens")
        }
        declared.typeProblems = problems
        return declared
    }
}
