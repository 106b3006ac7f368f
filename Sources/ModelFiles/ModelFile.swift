import FoundationEssentials
import GGUF
import ModelIO
import PyTorchCheckpoint
import Safetensors

/// Any model file this project reads, seen the same way: a GGUF, a `.safetensors` file, a
/// Hugging Face folder (sharded or not), a torch.save checkpoint, or Meta's original folder. Format-specific detail stays reachable through `container`.
public struct ModelFile: Sendable {
    public let path: String
    public let container: ModelContainer
    /// Every metadata key, in file order.
    public let metadata: [(key: String, value: ModelMetadataValue)]
    /// Every tensor, in file order (shard by shard for a sharded checkpoint).
    public let tensors: [ModelTensor]

    public var format: ModelFileFormat { container.format }

    /// Opens `path`, telling the format from what is there: a folder is Meta's (params.json and
    /// consolidated.NN.pth) or else a Hugging Face checkpoint, a file that starts with "GGUF" (or
    /// is named .gguf) is GGUF, one that starts like a zip archive is a torch.save checkpoint,
    /// anything else is read as safetensors.
    public init(path: String) throws {
        var isFolder = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw FileError(file: path, "no such file or folder")
        }
        if isFolder {
            if MetaCheckpoint.isMetaFolder(path) {
                try self.init(path: path, container: .metaCheckpoint(try MetaCheckpoint(folder: path)))
                return
            }
            try self.init(path: path, container: .checkpoint(try SafetensorsCheckpoint(folder: path)))
            return
        }
        let source = try ByteSource(mapping: path)
        let startsLikeGGUF = source.count >= 4 && (try? source.bytes(offset: 0, length: 4)) == GGUFFile.magic
        if startsLikeGGUF || path.hasSuffix(".gguf") {
            let gguf = try GGUFFile(source: source)
            let container: ModelContainer =
                SplitGGUFFile.isPart(gguf) ? .splitGGUF(try SplitGGUFFile(anyPart: gguf)) : .gguf(gguf)
            try self.init(path: path, container: container)
        } else if UnreadFormats.isZipArchive(source) {
            try self.init(path: path, container: .pyTorch(try PyTorchFile(source: source)))
        } else {
            try self.init(path: path, container: .safetensors(try Self.readSafetensors(source)))
        }
    }

    public init(path: String, container: ModelContainer) throws {
        self.path = path
        self.container = container
        switch container {
        case .gguf(let file):
            metadata = file.metadata.entries.map { ($0.key, .gguf($0.value)) }
            tensors = file.tensors.map(ModelTensor.init(gguf:))
        case .splitGGUF(let split):
            // The split keys describe the container, which `container` keeps; the model is the rest.
            metadata = split.first.metadata.entries.filter { !SplitGGUFFile.isSplitKey($0.key) }.map { ($0.key, .gguf($0.value)) }
            tensors = split.tensors.map(ModelTensor.init(gguf:))
        case .safetensors(let file):
            metadata = file.metadata.map { ($0.key, .string($0.value)) }
            tensors = file.tensors.map(ModelTensor.init(safetensors:))
        case .checkpoint(let checkpoint):
            metadata = Self.checkpointMetadata(checkpoint)
            tensors = checkpoint.tensors.map { ModelTensor(safetensors: $0.tensor) }
        case .pyTorch(let file):
            metadata = []
            tensors = file.tensors.map(ModelTensor.init(pyTorch:))
        case .metaCheckpoint(let checkpoint):
            metadata = (checkpoint.params.objectValue ?? []).map { ($0.key, .json($0.value)) }
            tensors = checkpoint.tensors
        }
    }

    /// A file that is neither GGUF nor named .safetensors is tried as safetensors; if that fails
    /// the error names a PyTorch checkpoint as such, else says both formats were expected.
    /// (Asked only after safetensors failed: a header length can begin with any bytes.)
    static func readSafetensors(_ source: ByteSource) throws -> SafetensorsFile {
        do {
            return try SafetensorsFile(source: source)
        } catch let error as FileError {
            if let what = UnreadFormats.describe(source) { throw UnreadFormats.refusal(source.name, what) }
            guard !source.name.hasSuffix(".safetensors") else { throw error }
            var error = error
            error.message = "expected a GGUF file (magic \"GGUF\") or a safetensors file; read as safetensors: " + error.message
            throw error
        }
    }

    public func tensor(named name: String) -> ModelTensor? {
        tensors.first { $0.name == name }
    }

    /// The index's metadata, then each shard's `__metadata__` keys not seen before.
    static func checkpointMetadata(_ checkpoint: SafetensorsCheckpoint) -> [(key: String, value: ModelMetadataValue)] {
        var seen = Set<String>()
        var result: [(key: String, value: ModelMetadataValue)] = []
        for member in checkpoint.indexMetadata where seen.insert(member.key).inserted {
            result.append((member.key, .json(member.value)))
        }
        for shard in checkpoint.shards {
            for entry in shard.metadata where seen.insert(entry.key).inserted {
                result.append((entry.key, .string(entry.value)))
            }
        }
        return result
    }
}

/// The format-specific reading behind a `ModelFile`.
public enum ModelContainer: Sendable {
    case gguf(GGUFFile)
    /// A GGUF in parts (gguf-split's NAME-00001-of-00003.gguf), read as one model.
    case splitGGUF(SplitGGUFFile)
    case safetensors(SafetensorsFile)
    case checkpoint(SafetensorsCheckpoint)
    /// A torch.save checkpoint (.pth, .bin, .pt) holding a state dict of tensors.
    case pyTorch(PyTorchFile)
    /// Meta's params.json and consolidated.NN.pth ranks, merged.
    case metaCheckpoint(MetaCheckpoint)

    /// The GGUF whose header holds the model's metadata: the file, or part 1 of a split.
    public var ggufHeader: GGUFFile? {
        switch self {
        case .gguf(let file): file
        case .splitGGUF(let split): split.first
        case .safetensors, .checkpoint, .pyTorch, .metaCheckpoint: nil
        }
    }

    /// Every file the model is read from.
    public var files: [String] {
        switch self {
        case .gguf(let file): [file.source.name]
        case .splitGGUF(let split): split.parts.map(\.source.name)
        case .safetensors(let file): [file.source.name]
        case .checkpoint(let checkpoint): checkpoint.shards.map(\.source.name) + (checkpoint.indexPath.map { [$0] } ?? [])
        case .pyTorch(let file): [file.source.name]
        case .metaCheckpoint(let checkpoint): checkpoint.ranks.map(\.source.name) + [checkpoint.folder + "/" + MetaCheckpoint.paramsName]
        }
    }

    public var format: ModelFileFormat {
        switch self {
        case .gguf(let file): .gguf(version: file.version)
        case .splitGGUF(let split): .splitGGUF(version: split.first.version, parts: split.parts.count)
        case .safetensors: .safetensors
        case .checkpoint(let checkpoint): .checkpoint(sharded: checkpoint.indexPath != nil)
        case .pyTorch: .pyTorch
        case .metaCheckpoint(let checkpoint): .metaCheckpoint(ranks: checkpoint.ranks.count)
        }
    }
}

public enum ModelFileFormat: Sendable, Equatable, CustomStringConvertible {
    case gguf(version: UInt32)
    case splitGGUF(version: UInt32, parts: Int)
    case safetensors
    /// A Hugging Face folder: one model.safetensors, or shards with an index.
    case checkpoint(sharded: Bool)
    case pyTorch
    case metaCheckpoint(ranks: Int)

    /// The name the inspect report uses.
    public var name: String {
        switch self {
        case .gguf: "gguf"
        case .splitGGUF: "gguf-split"
        case .safetensors: "safetensors"
        case .checkpoint(let sharded): sharded ? "safetensors-sharded" : "safetensors-folder"
        case .pyTorch: "pytorch"
        case .metaCheckpoint: "meta-checkpoint"
        }
    }

    /// The format with its article, for messages: "a safetensors file".
    public var article: String {
        switch self {
        case .gguf: "a GGUF"
        case .splitGGUF: "a split GGUF"
        case .safetensors: "a safetensors file"
        case .checkpoint: "a safetensors checkpoint folder"
        case .pyTorch: "a PyTorch checkpoint"
        case .metaCheckpoint: "Meta's original checkpoint folder"
        }
    }

    public var description: String {
        switch self {
        case .gguf(let version): "GGUF v\(version)"
        case .splitGGUF(let version, let parts): "split GGUF v\(version) in \(parts) parts"
        case .safetensors: "safetensors"
        case .checkpoint(let sharded): sharded ? "sharded safetensors checkpoint" : "safetensors checkpoint folder"
        case .pyTorch: "PyTorch checkpoint (torch.save zip)"
        case .metaCheckpoint(let ranks): "Meta checkpoint folder, \(ranks) model-parallel rank\(ranks == 1 ? "" : "s")"
        }
    }
}
