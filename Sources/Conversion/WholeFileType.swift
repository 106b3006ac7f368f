import Quantization

/// What `--type` names: the type of a whole output file, in llama.cpp's words (its `llama_ftype`
/// and llama-quantize's names). The type plan expands it tensor by tensor (`TypePlan`): the big
/// tensors get `baseFormat`, except where llama-quantize's default mix for the type gives some
/// more bits (`LlamaQuantizationMix`).
public enum WholeFileType: String, CaseIterable, Sendable, CustomStringConvertible {
    case f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1
    case q2_k, q3_k_s, q3_k_m, q3_k_l, q4_k_s, q4_k_m, q5_k_s, q5_k_m, q6_k

    /// Parses a name case-insensitively (`Q4_K_M` and `q4_k_m` are the same type).
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// The format of the tensors of two or more dimensions that the mix does not single out
    /// (llama.cpp's `llama_ftype_get_default_type`).
    public var baseFormat: ElementFormat {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        case .q8_0: .q8_0
        case .q4_0: .q4_0
        case .q4_1: .q4_1
        case .q5_0: .q5_0
        case .q5_1: .q5_1
        case .q2_k: .q2_K
        case .q3_k_s, .q3_k_m, .q3_k_l: .q3_K
        case .q4_k_s, .q4_k_m: .q4_K
        case .q5_k_s, .q5_k_m: .q5_K
        case .q6_k: .q6_K
        }
    }

    public var isQuantized: Bool { baseFormat.isQuantized }

    /// llama.cpp's `general.file_type` (enum llama_ftype) for this type.
    public var llamaFileType: UInt32 {
        switch self {
        case .f32: 0
        case .f16: 1
        case .q4_0: 2
        case .q4_1: 3
        case .q8_0: 7
        case .q5_0: 8
        case .q5_1: 9
        case .q2_k: 10
        case .q3_k_s: 11
        case .q3_k_m: 12
        case .q3_k_l: 13
        case .q4_k_s: 14
        case .q4_k_m: 15
        case .q5_k_s: 16
        case .q5_k_m: 17
        case .q6_k: 18
        case .bf16: 32
        }
    }

    /// The whole-file type whose `general.file_type` is `value`, if it is one of these.
    public init?(llamaFileType value: UInt32) {
        guard let type = Self.allCases.first(where: { $0.llamaFileType == value }) else { return nil }
        self = type
    }

    /// The name as `--type` takes it.
    public var description: String { rawValue }

    /// The name in capitals, as llama-quantize prints it ("Q4_K_M").
    public var displayName: String { rawValue.uppercased() }

    /// How llama.cpp describes a file of this type (`llama_model_ftype_name`): "Q4_K - Medium".
    public var llamaName: String { LlamaFileTypeName.name(of: llamaFileType) }
}

extension WholeFileType {
    /// The whole-file type whose big tensors are all `format`, for a file's own type (for the
    /// k-quants, the mix that gives most tensors that format: Q3_K_S, Q4_K_S, Q5_K_S).
    public init(_ format: ElementFormat) {
        switch format {
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q8_0: self = .q8_0
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        case .q5_0: self = .q5_0
        case .q5_1: self = .q5_1
        case .q2_K: self = .q2_k
        case .q3_K: self = .q3_k_s
        case .q4_K: self = .q4_k_s
        case .q5_K: self = .q5_k_s
        case .q6_K: self = .q6_k
        }
    }
}
