import GGUF
import ModelIO
import Quantization

/// `llama3 quantize`: a GGUF in, a GGUF out with every tensor of two or more dimensions in
/// Q8_0, Q4_0 or Q4_1 and 1-D tensors in F32 (llama.cpp's "pure" mode). Metadata is copied, with
/// `general.file_type` and `general.quantization_version` (2) set; tensors keep their order.
/// One pass, streaming, through GGUFWriter: atomic, fsync'd, with per-tensor checksums recorded.
public enum QuantizePipeline {
    public struct Summary: Sendable, Equatable {
        public var quantized = 0
        public var convertedToF32 = 0
        public var copied = 0
        public var inputBytes = 0
        public var outputBytes = 0
    }

    /// ggml's GGML_QNT_VERSION, which llama.cpp writes and checks.
    public static let quantizationVersion: UInt32 = 2

    /// `progress(done, total)` gets input bytes processed so far.
    public static func run(
        source: String, destination: String, type target: ElementFormat, threads: Int,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Summary {
        guard target.isQuantized else {
            throw FileError(file: destination, "expected a quantized type (q8_0, q4_0, q4_1), found \(target)")
        }
        let input = try GGUFFile(path: source)
        input.source.adviseSequential()
        let plan = try conversions(of: input, to: target)
        let writer = try GGUFWriter.begin(
            destination: destination, header: try header(of: input, plan: plan, target: target, destination: destination),
            inputs: [source])
        let summary = try writeTensors(of: input, plan: plan, to: writer, threads: threads, progress: progress)
        try writer.finish()
        return summary
    }

    /// Every tensor's fate, decided (and any refusal thrown) before a byte is written.
    static func conversions(of input: GGUFFile, to target: ElementFormat) throws -> [TensorConversion] {
        let rule = TypeConversionRule(target: target)
        return try input.tensors.map { tensor in
            try rule.conversion(
                name: tensor.name, source: ElementFormat(tensor.type), typeName: tensor.type.name,
                isInteger: tensor.type.isInteger, shape: tensor.shape, file: input.source.name)
        }
    }

    static func header(
        of input: GGUFFile, plan: [TensorConversion], target: ElementFormat, destination: String
    ) throws -> GGUFHeader {
        var header = GGUFHeader(for: destination, metadata: metadata(of: input, target: target))
        for (tensor, conversion) in zip(input.tensors, plan) {
            try header.addTensor(name: tensor.name, type: conversion.target?.ggmlType ?? tensor.type, shape: tensor.shape)
        }
        return header
    }

    static func writeTensors(
        of input: GGUFFile, plan: [TensorConversion], to writer: GGUFWriter, threads: Int,
        progress: (Int, Int) -> Void
    ) throws -> Summary {
        var summary = Summary()
        let total = input.tensors.reduce(0) { $0 + $1.byteCount }
        var done = 0
        func advance(_ bytes: Int) {
            done += bytes
            progress(done, total)
        }
        for (tensor, conversion) in zip(input.tensors, plan) {
            try writer.writeTensor { sink in
                switch conversion {
                case .copy:
                    try sink.write(tensor.data)
                    advance(tensor.byteCount)
                    summary.copied += 1
                case .convert(let from, let to):
                    try TensorStreamConversion.write(
                        tensor.data, tensor: tensor.name, rowLength: tensor.shape.last ?? 1, file: input.source.name,
                        from: from, to: to, threads: threads, sink: { try sink.write($0) }, progress: advance)
                    if to.isQuantized { summary.quantized += 1 } else { summary.convertedToF32 += 1 }
                }
                summary.outputBytes += sink.written
            }
            summary.inputBytes += tensor.byteCount
        }
        return summary
    }

    /// The source's keys, with the file type and quantization version of the output.
    static func metadata(of input: GGUFFile, target: ElementFormat) -> GGUFMetadata {
        var metadata = input.metadata
        metadata.set("general.file_type", .uint32(TypeConversionRule.llamaFileType(target)))
        metadata.set("general.quantization_version", .uint32(quantizationVersion))
        return metadata
    }
}

extension QuantizePipeline.Summary {
    public func text(destination: String, type: ElementFormat) -> String {
        "wrote \(destination): \(quantized) tensors as \(type.description.uppercased()), "
            + "\(convertedToF32 + copied) kept (\(convertedToF32) converted to F32), "
            + "\(inputBytes) bytes of tensor data in, \(outputBytes) out"
    }

    public func json(destination: String, type: ElementFormat) -> JSONValue {
        .object([
            JSONMember("destination", .string(destination)),
            JSONMember("type", .string(type.description)),
            JSONMember("quantized", .integer(quantized)),
            JSONMember("converted_to_f32", .integer(convertedToF32)),
            JSONMember("copied", .integer(copied)),
            JSONMember("input_tensor_bytes", .integer(inputBytes)),
            JSONMember("output_tensor_bytes", .integer(outputBytes)),
        ])
    }
}
