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
    }

    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let typeIn: String
        public let typeOut: String
        public let bytesIn: Int
        public let bytesOut: Int
        public let conversion: TensorConversion
    }

    public let destination: String
    public let mode: Mode
    public let fileType: WholeFileType?
    public let tensors: [Tensor]
    /// Source metadata keys with no place in the destination format.
    public let skippedMetadata: [String]
    /// The parts of a split GGUF, in order (`destination` is the first); empty otherwise.
    public var parts: [String] = []

    /// Tensors converted to a block type.
    public var quantized: Int { tensors.filter { $0.conversion.target?.isQuantized == true }.count }
    /// Tensors converted to a float type (1-D ones to F32, or all of them by a float --type).
    public var convertedToF32: Int { tensors.filter { $0.conversion.target?.isQuantized == false }.count }
    public var copied: Int { tensors.filter { $0.conversion == .copy }.count }
    public var inputBytes: Int { tensors.reduce(0) { $0 + $1.bytesIn } }
    public var outputBytes: Int { tensors.reduce(0) { $0 + $1.bytesOut } }
}

extension ConversionSummary {
    /// `convert`'s line: what was written and what metadata could not follow.
    public var text: String {
        var line = "wrote \(destination)\(partsNote): \(tensors.count) tensors, \(inputBytes) bytes of tensor data"
        if !skippedMetadata.isEmpty {
            line += "; metadata with no place there, left out: " + skippedMetadata.joined(separator: ", ")
        }
        return line
    }

    /// `quantize`'s line: how many tensors took the type, and the bytes in and out.
    public var quantizeText: String {
        "wrote \(destination)\(partsNote): \(quantized) tensors as \(fileType?.displayName ?? "their own type"), "
            + "\(convertedToF32 + copied) kept (\(convertedToF32) converted to F32), "
            + "\(inputBytes) bytes of tensor data in, \(outputBytes) out"
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
        ] + (parts.isEmpty ? [] : [JSONMember("parts", .array(parts.map(JSONValue.string)))]))
    }
}
