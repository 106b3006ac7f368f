/// The special tokens of Llama 3 as llama-models 0.3.0 names them (its llama3/tokenizer.py):
/// ids 128000 ..< 128256 follow the 128,000 ranked pieces. A bare tokenizer.model carries no
/// names, so these are used for it; a tokenizer.json or GGUF carries its own.
///
/// Names changed across releases: the first Llama 3 release called 128004, 128005, 128008,
/// 128010 and 128011 reserved tokens and numbered the other reserved names differently.
public enum Llama3SpecialTokens {
    public static let naming = "llama-models 0.3.0 names (a tokenizer.model carries none)"
    public static let firstID = 128_000
    public static let count = 256

    static let named = [
        "<|begin_of_text|>", "<|end_of_text|>",
        "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
        "<|finetune_right_pad_id|>", "<|step_id|>",
        "<|start_header_id|>", "<|end_header_id|>",
        "<|eom_id|>", "<|eot_id|>",
        "<|python_tag|>", "<|image|>",
    ]

    /// All 256, in id order: the twelve named ones, then `<|reserved_special_token_2|>` onwards.
    public static func tokens(firstID: Int = firstID) -> [SpecialToken] {
        let reserved = (0..<(count - named.count)).map { "<|reserved_special_token_\($0 + 2)|>" }
        return (named + reserved).enumerated().map { SpecialToken(id: firstID + $0.offset, name: $0.element) }
    }

    public static let beginOfText = "<|begin_of_text|>"
    public static let endOfText = "<|end_of_text|>"
    public static let startHeader = "<|start_header_id|>"
    public static let endHeader = "<|end_header_id|>"
    public static let endOfTurn = "<|eot_id|>"
}
