import Glibc
import ModelIO

/// What llama-quantize logs, in its layout (src/llama-quant.cpp of the llama.cpp inside
/// llama-cpp-python 0.3.36), so a log of `llama3 quantize --verbose` can be set beside one of
/// llama-quantize: one line per tensor (shape in ggml's order, type before and after, MiB before
/// and after), and the closing sizes of all tensors before and after with their bits per weight.
public enum QuantizationLog {
    /// One tensor, numbered `number` of `count`:
    /// `[   3/  39] token_embd.weight                    - [   256,    256,      1,      1], type =    f32, converting to q4_K .. size =     0.25 MiB ->     0.04 MiB`;
    /// a tensor written as it was ends `type =    f32, size =    0.001 MiB`, as there.
    public static func line(for tensor: ConversionSummary.Tensor, number: Int, of count: Int) -> String {
        let shape = ggmlShape(tensor.shape).map { cFormat("%6ld", $0) }.joined(separator: ", ")
        let head = cFormat("[%4ld/%4ld] ", number, count) + padded(tensor.name, to: 36)
            + " - [\(shape)], type = " + String(repeating: " ", count: max(0, 6 - ggmlName(tensor.typeIn).count))
            + ggmlName(tensor.typeIn) + ", "
        guard tensor.conversion != .copy else {
            return head + cFormat("size = %8.3f MiB", mebibytes(tensor.bytesIn))
        }
        return head + "converting to \(ggmlName(tensor.typeOut)) .. "
            + cFormat("size = %8.2f MiB -> %8.2f MiB", mebibytes(tensor.bytesIn), mebibytes(tensor.bytesOut))
    }

    /// The closing figures, on one line: `model size = 6.51 MiB (32.00 BPW), quant size = 0.99 MiB (4.85 BPW)`.
    /// The sizes count tensor bytes only (no header, no padding) and the bits per weight divide
    /// them by every tensor's elements, as llama.cpp does for both lines.
    public static func totals(of summary: ConversionSummary) -> String {
        cFormat(
            "model size = %.2f MiB (%.2f BPW), quant size = %.2f MiB (%.2f BPW)",
            mebibytes(summary.inputBytes), summary.inputBitsPerWeight, mebibytes(summary.outputBytes),
            summary.outputBitsPerWeight)
    }

    /// ggml's `type_name`: the GGUF name in lower case but for the k-quants' capital K ("q4_K").
    static func ggmlName(_ typeName: String) -> String {
        let lower = typeName.lowercased()
        return lower.hasSuffix("_k") ? String(lower.dropLast()) + "K" : lower
    }

    /// ggml's `ne`: the row-major shape innermost first, at least four dimensions.
    static func ggmlShape(_ shape: [Int]) -> [Int] {
        Array(shape.reversed()) + Array(repeating: 1, count: max(0, 4 - shape.count))
    }

    static func mebibytes(_ bytes: Int) -> Double { Double(bytes) / 1024 / 1024 }

    /// printf's `%-36s`: left-aligned, never cut.
    static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
