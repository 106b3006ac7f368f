import FoundationEssentials
import ModelIO
import PyTorchCheckpoint

/// Meta's original download (and the `original/` folder of the Hugging Face repositories):
/// params.json, tokenizer.model, and one consolidated.NN.pth per model-parallel rank (1 for 8B,
/// 8 for 70B), read as one model whose tensors are the ranks' parts merged back, as views.
///
/// The ranks split each tensor as the parallel layers of Llama 3's reference code do
/// (`MetaModelParallelism`): column-parallel ones on dimension 0, so the merge is the parts one
/// after another; row-parallel ones on dimension 1, so each merged row is the same row of every
/// part in turn; the rest (norms) replicated, and every copy must be the same bytes.
public struct MetaCheckpoint: Sendable {
    public let folder: String
    /// params.json, as parsed.
    public let params: JSONValue
    /// consolidated.00.pth, consolidated.01.pth, ... in rank order.
    public let ranks: [PyTorchFile]
    /// The merged tensors, in rank 0's order, under Meta's names.
    public let tensors: [ModelTensor]

    public static let paramsName = "params.json"

    public init(folder: String) throws {
        self.folder = folder
        let paramsPath = folder + "/" + Self.paramsName
        let paramsSource = try ByteSource(mapping: paramsPath)
        params = try JSONParser.parse(try paramsSource.slice(offset: 0, length: paramsSource.count))
        guard case .object = params else { throw FileError(file: paramsPath, offset: 0, "expected a JSON object of hyper-parameters") }
        ranks = try Self.rankPaths(folder).map { try PyTorchFile(path: $0) }
        tensors = try MetaModelParallelism.merge(ranks)
    }

    /// The rank files, numbered from 00 without a gap.
    static func rankPaths(_ folder: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        let numbers = names.compactMap(rankNumber).sorted()
        guard !numbers.isEmpty else { throw FileError(file: folder, "expected consolidated.00.pth beside params.json") }
        for (expected, number) in numbers.enumerated() where number != expected {
            throw FileError(
                file: folder + "/" + rankName(expected),
                "missing: the folder has \(numbers.count) rank files up to \(rankName(numbers.last ?? 0)), numbered from 00 without a gap")
        }
        return numbers.map { folder + "/" + rankName($0) }
    }

    static func rankName(_ number: Int) -> String {
        "consolidated." + (number < 10 ? "0" : "") + String(number) + ".pth"
    }

    static func rankNumber(_ name: String) -> Int? {
        guard name.hasPrefix("consolidated."), name.hasSuffix(".pth") else { return nil }
        let digits = name.dropFirst("consolidated.".count).dropLast(".pth".count)
        guard digits.count >= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits),
            rankName(number) == name
        else { return nil }
        return number
    }

    /// A folder with params.json and at least one consolidated.NN.pth (and no .safetensors).
    public static func isMetaFolder(_ folder: String) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return false }
        return names.contains(paramsName) && names.contains { rankNumber($0) != nil }
            && !names.contains { $0.hasSuffix(".safetensors") }
    }
}

/// How Llama 3's reference code splits each tensor across model-parallel ranks (fairscale's
/// layers in llama/model.py): `ColumnParallelLinear` for wq, wk, wv, w1, w3 and output and
/// `VocabParallelEmbedding` for tok_embeddings split the output features (dimension 0);
/// `RowParallelLinear` for wo and w2 splits the input features (dimension 1); RMSNorm weights
/// are replicated on every rank.
public enum MetaModelParallelism {
    public enum Split: Sendable, Equatable {
        case rows, columns, replicated
    }

    /// The split of a tensor by its Meta name; nil for a name Llama 3 does not have.
    public static func split(of name: String) -> Split? {
        switch name {
        case "tok_embeddings.weight", "output.weight": return .rows
        case "norm.weight": return .replicated
        default: break
        }
        guard name.hasPrefix("layers."), name.hasSuffix(".weight") else { return nil }
        let parts = name.split(separator: ".")
        guard parts.count >= 4, Int(parts[1]) != nil else { return nil }
        switch parts[2...].dropLast().joined(separator: ".") {
        case "attention.wq", "attention.wk", "attention.wv", "feed_forward.w1", "feed_forward.w3": return .rows
        case "attention.wo", "feed_forward.w2": return .columns
        case "attention_norm", "ffn_norm": return .replicated
        default: return nil
        }
    }

    /// The ranks' tensors merged, in rank 0's order. One rank needs no merge (and no known names).
    static func merge(_ ranks: [PyTorchFile]) throws -> [ModelTensor] {
        guard let first = ranks.first else { return [] }
        if ranks.count == 1 { return first.tensors.map(ModelTensor.init(pyTorch:)) }
        let byRank = ranks.map { rank in Dictionary(rank.tensors.map { ($0.name, $0) }, uniquingKeysWith: { one, _ in one }) }
        for (index, rank) in ranks.enumerated().dropFirst() where rank.tensors.count != first.tensors.count {
            let extra = rank.tensors.first { byRank[0][$0.name] == nil }?.name
            throw FileError(
                file: rank.source.name,
                "expected the \(first.tensors.count) tensors of rank 0, found \(rank.tensors.count)"
                    + (extra.map { " (\($0) is not in rank 0)" } ?? "") + " in rank \(index)")
        }
        return try first.tensors.map { tensor in
            let parts = try ranks.indices.map { index in
                guard let part = byRank[index][tensor.name] else {
                    throw FileError(file: ranks[index].source.name, "expected tensor \(tensor.name), as in rank 0")
                }
                guard part.dtype == tensor.dtype else {
                    throw FileError(
                        file: ranks[index].source.name, offset: part.data.offset,
                        "tensor \(tensor.name) is \(part.dtype.rawValue), but \(tensor.dtype.rawValue) in rank 0")
                }
                return part
            }
            return try merged(parts, files: ranks.map(\.source.name))
        }
    }

    static func merged(_ parts: [PyTorchFile.Tensor], files: [String]) throws -> ModelTensor {
        let first = parts[0]
        guard let split = split(of: first.name) else {
            throw FileError(
                file: files[0], offset: first.data.offset,
                "tensor \(first.name) is not one of Llama 3's, so how its \(parts.count) model-parallel parts join is unknown")
        }
        let dtype = ModelDType(first.dtype)
        switch split {
        case .replicated:
            for (index, part) in parts.enumerated().dropFirst() where part.shape != first.shape || part.data.bytes != first.data.bytes {
                throw FileError(
                    file: files[index], offset: part.data.offset,
                    "tensor \(first.name) differs from rank 0's copy; expected every rank to hold the same replicated values")
            }
            return ModelTensor(pyTorch: first)
        case .rows, .columns:
            let axis = split == .rows ? 0 : 1
            for (index, part) in parts.enumerated() where part.shape.count != 2 || part.shape[1 - axis] != first.shape[1 - axis] {
                throw FileError(
                    file: files[index], offset: part.data.offset,
                    "tensor \(first.name) has shape \(part.shape) in rank \(index); expected 2 dimensions, split on dimension \(axis), "
                        + "the other the same as rank 0's \(first.shape)")
            }
            var shape = first.shape
            shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
            let pieces = axis == 0
                ? TensorPieces(list: parts.map(\.data))
                : TensorPieces(interleaving: parts.map(\.data), rows: first.shape[0])
            return try ModelTensor(name: first.name, dtype: dtype, shape: shape, pieces: pieces, firstPart: first.data)
        }
    }
}
