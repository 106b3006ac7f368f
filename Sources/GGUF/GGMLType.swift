/// A tensor element type of ggml, as GGUF stores it (a UInt32 in each tensor info).
///
/// Every type llama.cpp has defined is listed, including ones it has since removed, so that
/// any GGUF file can be listed with correct byte counts; `isRemoved` says which ones llama.cpp
/// no longer loads. Ids 4 and 5 (Q4_2, Q4_3) were dropped before GGUF existed and never
/// appear in a GGUF file.
public enum GGMLType: UInt32, CaseIterable, Sendable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q8_1 = 9
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case q8_K = 15
    case iq2_XXS = 16
    case iq2_XS = 17
    case iq3_XXS = 18
    case iq1_S = 19
    case iq4_NL = 20
    case iq3_S = 21
    case iq2_S = 22
    case iq4_XS = 23
    case i8 = 24
    case i16 = 25
    case i32 = 26
    case i64 = 27
    case f64 = 28
    case iq1_M = 29
    case bf16 = 30
    case q4_0_4_4 = 31
    case q4_0_4_8 = 32
    case q4_0_8_8 = 33
    case tq1_0 = 34
    case tq2_0 = 35
    case iq4_NL_4_4 = 36
    case iq4_NL_4_8 = 37
    case iq4_NL_8_8 = 38
    case mxfp4 = 39
    case nvfp4 = 40
    case q1_0 = 41

    /// The name llama.cpp and gguf-py print ("F32", "Q4_K", "IQ2_XXS").
    public var name: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q8_1: "Q8_1"
        case .q2_K: "Q2_K"
        case .q3_K: "Q3_K"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        case .q8_K: "Q8_K"
        case .iq2_XXS: "IQ2_XXS"
        case .iq2_XS: "IQ2_XS"
        case .iq3_XXS: "IQ3_XXS"
        case .iq1_S: "IQ1_S"
        case .iq4_NL: "IQ4_NL"
        case .iq3_S: "IQ3_S"
        case .iq2_S: "IQ2_S"
        case .iq4_XS: "IQ4_XS"
        case .i8: "I8"
        case .i16: "I16"
        case .i32: "I32"
        case .i64: "I64"
        case .f64: "F64"
        case .iq1_M: "IQ1_M"
        case .bf16: "BF16"
        case .q4_0_4_4: "Q4_0_4_4"
        case .q4_0_4_8: "Q4_0_4_8"
        case .q4_0_8_8: "Q4_0_8_8"
        case .tq1_0: "TQ1_0"
        case .tq2_0: "TQ2_0"
        case .iq4_NL_4_4: "IQ4_NL_4_4"
        case .iq4_NL_4_8: "IQ4_NL_4_8"
        case .iq4_NL_8_8: "IQ4_NL_8_8"
        case .mxfp4: "MXFP4"
        case .nvfp4: "NVFP4"
        case .q1_0: "Q1_0"
        }
    }

    public var description: String { name }

    /// The type named `name` (case-insensitive), for `--type` style options.
    public init?(name: String) {
        let wanted = name.uppercased()
        guard let found = Self.allCases.first(where: { $0.name == wanted }) else { return nil }
        self = found
    }

    /// Elements per block: the innermost dimension of a tensor must be a multiple of it.
    public var blockSize: Int { layout.elements }

    /// Bytes one block occupies in the file.
    public var bytesPerBlock: Int { layout.bytes }

    /// Types llama.cpp once wrote but no longer loads (repacked layouts now chosen at load time).
    public var isRemoved: Bool {
        switch self {
        case .q4_0_4_4, .q4_0_4_8, .q4_0_8_8, .iq4_NL_4_4, .iq4_NL_4_8, .iq4_NL_8_8: true
        default: false
        }
    }

    /// (elements per block, bytes per block), from ggml's block structs.
    private var layout: (elements: Int, bytes: Int) {
        switch self {
        case .f32, .i32: (1, 4)
        case .f16, .bf16, .i16: (1, 2)
        case .i8: (1, 1)
        case .i64, .f64: (1, 8)
        // f16 scale, then 16 bytes of 4-bit values, low nibbles first
        case .q4_0, .iq4_NL, .q4_0_4_4, .q4_0_4_8, .q4_0_8_8, .iq4_NL_4_4, .iq4_NL_4_8, .iq4_NL_8_8: (32, 18)
        // f16 scale, f16 minimum, 16 bytes of 4-bit values
        case .q4_1: (32, 20)
        case .q5_0: (32, 22)
        case .q5_1: (32, 24)
        // f16 scale, then 32 signed bytes
        case .q8_0: (32, 34)
        // f16 scale and f16 sum, then 32 signed bytes (ggml's block_q8_1; only used in memory)
        case .q8_1: (32, 36)
        case .q2_K: (256, 84)
        case .q3_K, .iq3_S: (256, 110)
        case .q4_K: (256, 144)
        case .q5_K: (256, 176)
        case .q6_K: (256, 210)
        case .q8_K: (256, 292)
        case .iq2_XXS, .tq2_0: (256, 66)
        case .iq2_XS: (256, 74)
        case .iq3_XXS: (256, 98)
        case .iq1_S: (256, 50)
        case .iq2_S: (256, 82)
        case .iq4_XS: (256, 136)
        case .iq1_M: (256, 56)
        case .tq1_0: (256, 54)
        case .mxfp4: (32, 17)
        case .nvfp4: (64, 36)
        case .q1_0: (128, 18)
        }
    }

    /// Bytes a tensor of `elements` elements with innermost dimension `innermost` occupies,
    /// or nil when the innermost dimension is not a whole number of blocks or the size overflows.
    /// Whether `elements` of this type (whole blocks or not) need more bytes than an Int holds:
    /// what tells a size overflow from a row that does not fill its blocks.
    public func byteCountOverflows(elements: Int) -> Bool {
        (elements / blockSize).multipliedReportingOverflow(by: bytesPerBlock).overflow
    }

    public func byteCount(elements: Int, innermost: Int) -> Int? {
        guard elements >= 0, innermost >= 0, innermost % blockSize == 0 else { return nil }
        let (bytes, overflow) = (elements / blockSize).multipliedReportingOverflow(by: bytesPerBlock)
        return overflow ? nil : bytes
    }
}
