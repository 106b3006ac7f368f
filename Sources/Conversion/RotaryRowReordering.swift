import LlamaLayout
import ModelIO

/// Reorders the rows of a query or key projection between Hugging Face (rotate-half) and GGUF
/// (interleaved) order, using LlamaLayout's `RotaryRowOrder` for where each row goes.
///
/// Rows are moved as opaque bytes, so any stored type works, including quantized ones whose
/// rows are whole blocks. The tensor is gathered in memory: one projection at a time
/// ([heads * head_dim, dim]: 32 MiB for Llama 3 8B's q_proj in BF16, 128 MiB for 70B).
enum RotaryRowReordering {
    enum Direction {
        case huggingFaceToGGUF, ggufToHuggingFace
    }

    /// The reordered bytes of `tensor`, which must have `heads * headDim` rows.
    static func reorder(_ tensor: ModelTensor, heads: Int, headDim: Int, _ direction: Direction) throws -> ByteSlice {
        let rows = tensor.shape.first ?? 0
        guard tensor.shape.count == 2, rows == heads * headDim, rows > 0, tensor.byteCount % rows == 0 else {
            throw FileError(
                file: tensor.file, offset: tensor.offset,
                "tensor \(tensor.name): expected \(heads) heads x \(headDim) rows (shape [\(heads * headDim), dim]) to reorder for rotary embedding, found shape \(tensor.shape)")
        }
        let rowBytes = tensor.byteCount / rows
        let input = try tensor.data.source.bytes(offset: tensor.offset, length: tensor.byteCount, expected: "tensor \(tensor.name)")
        var output = [UInt8]()
        output.reserveCapacity(input.count)
        for outputRow in 0..<rows {
            let sourceRow: Int? = switch direction {
            case .huggingFaceToGGUF: RotaryRowOrder.huggingFaceRow(forGGUFRow: outputRow, heads: heads, headDim: headDim)
            case .ggufToHuggingFace: RotaryRowOrder.ggufRow(forHuggingFaceRow: outputRow, heads: heads, headDim: headDim)
            }
            guard let sourceRow else {
                throw FileError(file: tensor.file, "tensor \(tensor.name): head_dim \(headDim) must be even to reorder rotary rows")
            }
            output.append(contentsOf: input[sourceRow * rowBytes..<(sourceRow + 1) * rowBytes])
        }
        return try ByteSource(bytes: output, name: tensor.file).slice(offset: 0, length: output.count)
    }
}
