import Glibc
import GGUF
import ModelIO

/// The text form of the report: a summary line, metadata one key a line, tensors on request,
/// then the model section, problems and warnings.
extension InspectReport {
    public func text(full: Bool = false, listTensors: Bool = false) -> String {
        var lines: [String] = []
        guard let file else {
            lines += problems.map { "problem: \($0)" }
            return Self.terminalLines(lines)
        }
        let bytes = file.tensors.reduce(0) { $0 + $1.byteCount }
        lines.append("\(path): \(file.format), \(file.tensors.count) tensors (\(bytes) bytes), \(file.metadata.count) metadata keys")
        if !file.metadata.isEmpty {
            lines.append("metadata:")
            for entry in file.metadata {
                lines.append("  \(entry.key) = \(Self.json(entry.value, full: full).serialized())")
            }
        }
        if listTensors {
            lines.append("tensors:")
            let width = file.tensors.map(\.name.count).max() ?? 0
            for tensor in file.tensors {
                let name = Self.fitted(tensor.name, to: width)
                let dtype = Self.fitted(tensor.dtype.name, to: 8)
                let shape = "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]"
                lines.append("  \(name)  \(dtype) \(shape)  offset \(tensor.offset)  \(tensor.byteCount) bytes")
            }
        }
        if let fileType { lines += fileType.textLines }
        if let model { lines += model.textLines }
        lines += problems.map { "problem: \($0)" }
        lines += warnings.map { "warning: \($0)" }
        return Self.terminalLines(lines)
    }

    /// Keys, tensor names and paths come from the file: each line's control characters are
    /// escaped, so a name cannot recolour the terminal or forge a line.
    static func terminalLines(_ lines: [String]) -> String {
        lines.map { $0.escapingControlCharacters() + "\n" }.joined()
    }

    /// `text` cut or padded with spaces to `width` characters (what NSString's
    /// `padding(toLength:withPad:startingAt:)` did here, without Foundation).
    static func fitted(_ text: String, to width: Int) -> String {
        let count = text.count
        if count >= width { return String(text.prefix(width)) }
        return text + String(repeating: " ", count: width - count)
    }
}
