import GGUF
import LlamaLayout
import ModelIO
import Safetensors

/// `llama3 convert SRC DST` without `--type`: the same tensors, names, dtypes and bits in the
/// other container. DST's name picks the format: `.gguf`, `.safetensors`, or otherwise a
/// checkpoint folder (sharded by size). One stream: each tensor is copied from the source's
/// memory map straight to the output, so no model is ever held in memory.
public enum ContainerConversion {
    /// transformers' default shard size.
    public static let defaultMaximumShardBytes = 5_000_000_000

    public enum Destination: Sendable, Equatable {
        case gguf(String)
        case safetensors(String)
        case checkpoint(folder: String)

        /// The file or folder written.
        public var path: String {
            switch self {
            case .gguf(let path), .safetensors(let path), .checkpoint(let path): path
            }
        }

        /// By extension: `.gguf`, `.safetensors`, anything else is a folder.
        public init(path: String) {
            if path.hasSuffix(".gguf") {
                self = .gguf(path)
            } else if path.hasSuffix(".safetensors") {
                self = .safetensors(path)
            } else {
                self = .checkpoint(folder: path)
            }
        }
    }

    public struct Summary: Sendable {
        public var tensors: Int
        public var bytes: Int
        /// Metadata keys with no place in the destination format.
        public var skippedMetadata: [String]
    }

    /// The source files, which no output may replace.
    static func inputs(of file: ModelFile) -> [String] {
        switch file.container {
        case .gguf(let gguf): [gguf.source.name]
        case .safetensors(let safetensors): [safetensors.source.name]
        case .checkpoint(let checkpoint):
            checkpoint.shards.map(\.source.name) + (checkpoint.indexPath.map { [$0] } ?? [])
        }
    }

    /// `types` is `convert --type` (TypeConversionPlan.swift); by default every tensor is copied.
    @discardableResult
    public static func convert(
        _ file: ModelFile, to destination: Destination, maximumShardBytes: Int = defaultMaximumShardBytes,
        types: TypeConversionPlan? = nil
    ) throws -> Summary {
        let plan = types ?? .copying(file)
        let bytes = file.tensors.reduce(0) { $0 + $1.byteCount }
        switch destination {
        case .gguf(let path):
            var (metadata, skipped) = ContainerMetadata.forGGUF(file)
            plan.stamp(&metadata)
            var header = GGUFHeader(for: path, metadata: metadata)
            for (index, tensor) in file.tensors.enumerated() {
                try header.addTensor(name: tensor.name, type: try plan.ggmlType(index, tensor), shape: tensor.shape)
            }
            let writer = try GGUFWriter.begin(destination: path, header: header, inputs: inputs(of: file))
            try plan.writeData(file) { feed in try writer.writeTensor { sink in try feed(sink.write) } }
            try writer.finish()
            return Summary(tensors: file.tensors.count, bytes: bytes, skippedMetadata: skipped)
        case .safetensors(let path):
            let (header, skipped) = try safetensorsHeader(file, plan, destination: path)
            let writer = try SafetensorsWriter.begin(destination: path, header: header, inputs: inputs(of: file))
            try plan.writeData(file) { feed in try writer.writeTensor { sink in try feed(sink.write) } }
            try writer.finish()
            return Summary(tensors: file.tensors.count, bytes: bytes, skippedMetadata: skipped)
        case .checkpoint(let folder):
            let (header, skipped) = try safetensorsHeader(file, plan, destination: folder)
            let writer = try SafetensorsCheckpointWriter.begin(
                folder: folder, header: header, maximumShardBytes: maximumShardBytes, inputs: inputs(of: file))
            try plan.writeData(file) { feed in try writer.writeTensor { sink in try feed(sink.write) } }
            try writer.finish()
            return Summary(tensors: file.tensors.count, bytes: bytes, skippedMetadata: skipped)
        }
    }

    static func safetensorsHeader(
        _ file: ModelFile, _ plan: TypeConversionPlan, destination: String
    ) throws -> (SafetensorsHeader, [String]) {
        let (metadata, skipped) = ContainerMetadata.forSafetensors(file)
        var header = SafetensorsHeader(for: destination, metadata: metadata)
        for (index, tensor) in file.tensors.enumerated() {
            try header.addTensor(name: tensor.name, dtype: try plan.safetensorsDType(index, tensor), shape: tensor.shape)
        }
        return (header, skipped)
    }
}

extension ContainerConversion.Summary {
    public var json: JSONValue {
        .object([
            JSONMember("tensors", .integer(tensors)),
            JSONMember("bytes", .integer(bytes)),
            JSONMember("skipped_metadata", .array(skippedMetadata.map(JSONValue.string))),
        ])
    }

    public func text(destination: String) -> String {
        var line = "wrote \(destination): \(tensors) tensors, \(bytes) bytes of tensor data"
        if !skippedMetadata.isEmpty {
            line += "; metadata with no place there, left out: " + skippedMetadata.joined(separator: ", ")
        }
        return line
    }
}
