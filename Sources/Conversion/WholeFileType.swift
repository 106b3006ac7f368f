import Quantization

/// What `--type` names: the type of a whole output file, in llama.cpp's words. The type plan
/// expands it tensor by tensor (`TypePlan`); today every whole-file type has one element format
/// for its big tensors, and llama.cpp's mixes (Q4_K_M and friends) will expand to several.
public enum WholeFileType: String, CaseIterable, Sendable, CustomStringConvertible {
    case f32, f16, bf16, q8_0, q4_0, q4_1

    /// Parses a name case-insensitively (`Q8_0` and `q8_0` are the same type).
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// The format of the tensors of two or more dimensions.
    public var baseFormat: ElementFormat {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        case .q8_0: .q8_0
        case .q4_0: .q4_0
        case .q4_1: .q4_1
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
        case .bf16: 32
        }
    }

    /// The name as `--type` takes it.
    public var description: String { rawValue }

    /// The name as llama.cpp prints types ("Q8_0").
    public var displayName: String { rawValue.uppercased() }
}

extension WholeFileType {
    /// The whole-file type whose big tensors are `format`, for a file's own type.
    public init(_ format: ElementFormat) {
        switch format {
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q8_0: self = .q8_0
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        }
    }
}
