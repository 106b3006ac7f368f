import GGUF

/// llama.cpp's words for a GGUF's `general.file_type` (its `llama_ftype`), as the llama.cpp in
/// llama-cpp-python 0.3.36 prints them when it loads a model (`llama_model_ftype_name` in
/// src/llama-model-loader.cpp): "Q4_K - Medium", "Q8_0", "F16", "all F32". A file without the
/// key gets the loader's guess from its most common tensor type, said with "(guessed) " first.
public enum LlamaFileTypeName {
    /// llama.cpp's flag on a guessed `llama_ftype`.
    public static let guessedFlag: UInt32 = 1024

    /// The name of `value`; with `guessedFlag` set, prefixed "(guessed) ".
    public static func name(of value: UInt32) -> String {
        let name = names[value & ~guessedFlag] ?? "unknown, may not work"
        return value & guessedFlag != 0 ? "(guessed) " + name : name
    }

    static let names: [UInt32: String] = [
        0: "all F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1",
        10: "Q2_K - Medium", 11: "Q3_K - Small", 12: "Q3_K - Medium", 13: "Q3_K - Large",
        14: "Q4_K - Small", 15: "Q4_K - Medium", 16: "Q5_K - Small", 17: "Q5_K - Medium", 18: "Q6_K",
        19: "IQ2_XXS - 2.0625 bpw", 20: "IQ2_XS - 2.3125 bpw", 21: "Q2_K - Small", 22: "IQ3_XS - 3.3 bpw",
        23: "IQ3_XXS - 3.0625 bpw", 24: "IQ1_S - 1.5625 bpw", 25: "IQ4_NL - 4.5 bpw", 26: "IQ3_S - 3.4375 bpw",
        27: "IQ3_S mix - 3.66 bpw", 28: "IQ2_S - 2.5 bpw", 29: "IQ2_M - 2.7 bpw", 30: "IQ4_XS - 4.25 bpw",
        31: "IQ1_M - 1.75 bpw", 32: "BF16", 36: "TQ1_0 - 1.69 bpw ternary", 37: "TQ2_0 - 2.06 bpw ternary",
        38: "MXFP4 MoE", 39: "NVFP4", 40: "Q1_0",
    ]

    /// The loader's guess for a file without `general.file_type`: the `llama_ftype` of the type
    /// most tensors have, with `guessedFlag` set. On a tie the type that led first wins, counting
    /// in llama.cpp's order (by layer, then name). A type it has no file type for, and an empty
    /// file, guess "all F32", as llama.cpp does.
    public static func guess(from tensors: [(name: String, type: GGMLType)]) -> UInt32 {
        var counts: [GGMLType: Int] = [:]
        var leader: (type: GGMLType, count: Int)?
        for tensor in tensors.sorted(by: { LlamaQuantizationMix.visitsBefore($0.name, $1.name) }) {
            let count = counts[tensor.type, default: 0] + 1
            counts[tensor.type] = count
            if count > leader?.count ?? 0 { leader = (tensor.type, count) }
        }
        return (leader.flatMap { fileTypes[$0.type] } ?? 0) | guessedFlag
    }

    /// The loader's table from a tensor type to the file type it suggests.
    static let fileTypes: [GGMLType: UInt32] = [
        .f32: 0, .f16: 1, .bf16: 32, .q4_0: 2, .q4_1: 3, .q5_0: 8, .q5_1: 9, .q8_0: 7, .q2_K: 10,
        .q3_K: 12, .q4_K: 15, .q5_K: 17, .q6_K: 18, .tq1_0: 36, .tq2_0: 37, .iq2_XXS: 19, .iq2_XS: 20,
        .iq2_S: 28, .iq3_XXS: 23, .iq1_S: 24, .iq1_M: 31, .iq4_NL: 25, .iq4_XS: 30, .iq3_S: 26,
        .nvfp4: 39, .q1_0: 40,
    ]
}
