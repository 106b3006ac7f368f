/// Where each row of a query or key projection goes between Hugging Face and GGUF order.
///
/// Both rotate pairs of a head's dimensions, but pair them differently: HF pairs dimension i with
/// i + head_dim/2 (rotate-half), GGUF/Meta pairs 2i with 2i+1 (interleaved). Converting HF weights
/// to GGUF therefore reorders the rows of q_proj and k_proj inside each head, as llama.cpp's
/// converter does: GGUF row h*head_dim + 2i + j holds HF row h*head_dim + j*head_dim/2 + i
/// (j = 0, 1). q_proj is reordered with the query head count, k_proj with the KV head count
/// (using the query count for k broke GQA conversions: llama.cpp #2376, #3364). Other tensors
/// keep their row order.
public enum RotaryRowOrder {
    /// The HF row that GGUF row `row` comes from; `heads` is the projection's head count.
    /// nil when the row or the sizes do not fit the layout (head_dim must be even).
    public static func huggingFaceRow(forGGUFRow row: Int, heads: Int, headDim: Int) -> Int? {
        guard fits(row, heads: heads, headDim: headDim) else { return nil }
        let (head, within) = row.quotientAndRemainder(dividingBy: headDim)
        let (pair, member) = within.quotientAndRemainder(dividingBy: 2)
        return head * headDim + member * (headDim / 2) + pair
    }

    /// The GGUF row that HF row `row` goes to.
    public static func ggufRow(forHuggingFaceRow row: Int, heads: Int, headDim: Int) -> Int? {
        guard fits(row, heads: heads, headDim: headDim) else { return nil }
        let (head, within) = row.quotientAndRemainder(dividingBy: headDim)
        let (member, pair) = within.quotientAndRemainder(dividingBy: headDim / 2)
        return head * headDim + 2 * pair + member
    }

    /// head_dim even, and the row inside heads x head_dim (whose product must not overflow).
    private static func fits(_ row: Int, heads: Int, headDim: Int) -> Bool {
        guard heads > 0, headDim > 0, headDim % 2 == 0, row >= 0 else { return false }
        let (rows, overflow) = heads.multipliedReportingOverflow(by: headDim)
        return !overflow && row < rows
    }
}
