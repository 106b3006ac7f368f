import Glibc
import ModelIO

/// What a conversion wrote, tensor by tensor: the one summary of `convert` and `quantize`.
public struct ConversionSummary: Sendable {
    public enum Mode: String, Sendable {
        /// Every tensor under its own name, in the other container.
        case plainCopy = "plain copy"
        /// A Hugging Face Llama checkpoint to a llama.cpp-ready GGUF.
        case llamaToGGUF = "Llama-aware HF -> GGUF"
        /// A llama GGUF to Hugging Face names (and a config.json in a folder).
        case llamaToHuggingFace = "Llama-aware GGUF -> HF"
        /// Meta's original folder (params.json, consolidated.NN.pth) to a llama.cpp-ready GGUF.
        case metaToGGUF = "Llama-aware Meta -> GGUF"
        /// Meta's original folder to Hugging Face names, q/k rows in rotate-half order.
        case metaToHuggingFace = "Llama-aware Meta -> HF"
    }

    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let typeIn: String
        public let typeOut: String
        public let bytesIn: Int
        public let bytesOut: Int
        public let conversion: TensorConversion
        /// Row-major, outermost first, the same before and after.
        public let shape: [Int]

        public var elements: Int { shape.reduce(1, *) }
    }

    /// The input as the user named it (set by `Converter`, which knows it).
    public internal(set) var source = ""
    public let destination: String
    public let mode: Mode
    public let fileType: WholeFileType?
    public let tensors: [Tensor]
    /// Source metadata keys with no place in the destination format.
    public let skippedMetadata: [String]
    /// The parts of a split GGUF, in order (`destination` is the first); empty otherwise.
    public var parts: [String] = []
    /// Choices the conversion made that the user may want to know (which eos was written).
    public var notes: [String] = []

    /// Tensors converted to a block type.
    public var quantized: Int { tensors.filter { $0.conversion.target?.isQuantized == true }.count }
    /// Tensors converted to a float type (1-D ones to F32, or all of them by a float --type).
    public var convertedToF32: Int { tensors.filter { $0.conversion.target?.isQuantized == false }.count }
    public var copied: Int { tensors.filter { $0.conversion == .copy }.count }
    public var inputBytes: Int { tensors.reduce(0) { $0 + $1.bytesIn } }
    public var outputBytes: Int { tensors.reduce(0) { $0 + $1.bytesOut } }
    public var elements: Int { tensors.reduce(0) { $0 + $1.elements } }
    /// Input tensor bits per element, as llama-quantize's "model size" line gives them.
    public var inputBitsPerWeight: Double { bitsPerWeight(inputBytes) }
    /// Output tensor bits per element: llama.cpp's BPW of the written file ("quant size").
    public var outputBitsPerWeight: Double { bitsPerWeight(outputBytes) }

    func bitsPerWeight(_ bytes: Int) -> Double { elements == 0 ? 0 : Double(bytes) * 8 / Double(elements) }
    /// The size of what was written: the file, or every file in the folder (set by `Converter`).
    public internal(set) var fileBytes = 0

    /// The summary with the source and the written size filled in, once the output is complete.
    func completed(source: String) -> ConversionSummary {
        var summary = self
        summary.source = source
        summary.fileBytes = Self.size(of: destination)
        return summary
    }

    /// The bytes of a file, or of the regular files directly in a folder (a checkpoint folder is
    /// flat: shards, index, side files). 0 when nothing is there to measure.
    static func size(of path: String) -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { return 0 }
        guard status.st_mode & S_IFMT == S_IFDIR else { return Int(status.st_size) }
        guard let folder = opendir(path) else { return 0 }
        defer { closedir(folder) }
        var total = 0
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var member = stat()
            if name != ".", name != "..", stat(path + "/" + name, &member) == 0, member.st_mode & S_IFMT == S_IFREG {
                total += Int(member.st_size)
            }
        }
        return total
    }
}

extension ConversionSummary {
    /// `convert`'s line: what was written and what metadata could not follow; with a type, it
    /// ends with the sizes and bits per weight (`QuantizationLog.totals`).
    public var text: String {
        var line = "wrote \(destination)\(partsNote) (\(mode.rawValue)\(fileType.map { ", type \($0.displayName)" } ?? "")): "
            + "\(tensors.count) tensors, \(outputBytes) bytes of tensor data (\(inputBytes) read), file size \(fileBytes) bytes"
        if !skippedMetadata.isEmpty {
            line += "; metadata with no place there, left out: " + skippedMetadata.joined(separator: ", ")
        }
        for note in notes { line += "; " + note }
        if fileType != nil { line += "; " + QuantizationLog.totals(of: self) }
        return line
    }

    /// `quantize`'s line: how many tensors took the type, the bytes in and out, and at the end
    /// the sizes and bits per weight as llama-quantize closes its log.
    public var quantizeText: String {
        "wrote \(destination)\(partsNote): \(quantized) tensors as \(fileType?.displayName ?? "their own type"), "
            + "\(convertedToF32 + copied) kept (\(convertedToF32) converted to F32), "
            + "\(inputBytes) bytes of tensor data in, \(outputBytes) out, file size \(fileBytes) bytes; "
            + QuantizationLog.totals(of: self)
    }

    var partsNote: String { parts.count > 1 ? " and \(parts.count - 1) more parts" : "" }

    /// The JSON both commands print (Docs/CLI.md).
    public var json: JSONValue {
        .object([
            JSONMember("destination", .string(destination)),
            JSONMember("mode", .string(mode.rawValue)),
            JSONMember("type", fileType.map { .string($0.description) } ?? .null),
            JSONMember("tensors", .integer(tensors.count)),
            JSONMember("bytes", .integer(inputBytes)),
            JSONMember("skipped_metadata", .array(skippedMetadata.map(JSONValue.string))),
            JSONMember("quantized", .integer(quantized)),
            JSONMember("converted_to_f32", .integer(convertedToF32)),
            JSONMember("copied", .integer(copied)),
            JSONMember("input_tensor_bytes", .integer(inputBytes)),
            JSONMember("output_tensor_bytes", .integer(outputBytes)),
            JSONMember("source", .string(source)),
            JSONMember("bytes_in", .integer(inputBytes)),
            JSONMember("bytes_out", .integer(outputBytes)),
            JSONMember("file_bytes", .integer(fileBytes)),
            // The issue asked for this list under `tensors`, which already holds the count.
            JSONMember("tensor_list", .array(tensors.map(\.json))),
            JSONMember("elements", .integer(elements)),
            JSONMember("input_bits_per_weight", .double(inputBitsPerWeight)),
            JSONMember("bits_per_weight", .double(outputBitsPerWeight)),
        ] + (parts.isEmpty ? [] : [JSONMember("parts", .array(parts.map(JSONValue.string)))]))
    }
}

extension ConversionSummary.Tensor {
    /// One entry of `tensor_list`: the same schema for `convert` and `quantize`.
    var json: JSONValue {
        .object([
            JSONMember("name", .string(name)),
            JSONMember("type_in", .string(typeIn)),
            JSONMember("type_out", .string(typeOut)),
            JSONMember("bytes_in", .integer(bytesIn)),
            JSONMember("bytes_out", .integer(bytesOut)),
            JSONMember("shape", .array(shape.map { .integer($0) })),
            JSONMember("elements", .integer(elements)),
        ])
    }
}
