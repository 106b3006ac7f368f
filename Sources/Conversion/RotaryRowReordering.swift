import LlamaLayout
import ModelFiles
import ModelIO

/// Reorders the rows of a query or key projection between Hugging Face (rotate-half) and GGUF
/// (interleaved) order, using LlamaLayout's `RotaryRowOrder` for where each row goes.
///
/// Rows are views of the source's memory map taken in output order, so nothing is gathered in
/// memory and any stored type works, including quantized ones whose rows are whole blocks.
enum RotaryRowReordering {
    enum Direction {
        case huggingFaceToGGUF, ggufToHuggingFace
    }

    /// The rows of `tensor` ([heads * headDim, dim]) in the order they are written.
    static func rows(of tensor: ModelTensor, heads: Int, headDim: Int, _ direction: Direction) throws -> [ByteSlice] {
        let rows = tensor.shape.first ?? 0
        guard tensor.shape.count == 2, rows == heads * headDim, rows > 0, tensor.byteCount % rows == 0 else {
            throw FileError(
                file: tensor.file, offset: tensor.offset,
                "tensor \(tensor.name): expected \(heads) heads x \(headDim) rows (shape [\(heads * headDim), dim]) to reorder for rotary embedding, found shape \(tensor.shape)")
        }
        let rowBytes = tensor.byteCount / rows
        return try (0..<rows).map { outputRow in
            let sourceRow: Int? = switch direction {
            case .huggingFaceToGGUF: RotaryRowOrder.huggingFaceRow(forGGUFRow: outputRow, heads: heads, headDim: headDim)
            case .ggufToHuggingFace: RotaryRowOrder.ggufRow(forHuggingFaceRow: outputRow, heads: heads, headDim: headDim)
            }
            guard let sourceRow else {
                throw FileError(file: tensor.file, "tensor \(tensor.name): head_dim \(headDim) must be even to reorder rotary rows")
            }
            return try tensor.pieces.row(sourceRow, rowBytes: rowBytes)
        }
    }
}
