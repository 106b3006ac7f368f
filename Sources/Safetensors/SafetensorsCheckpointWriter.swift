import Foundation
import ModelIO

/// Writes a Hugging Face checkpoint folder: tensors split into shards of at most
/// `maximumShardBytes` (a tensor larger than that gets a shard of its own), named
/// `model-0000i-of-0000N.safetensors`, plus `model.safetensors.index.json` mapping each tensor to
/// its shard. One shard is written as `model.safetensors` with no index, as transformers does.
///
/// Like the single-file writer it takes tensor data one tensor at a time in declared order; each
/// shard is committed atomically when its last tensor is written, and the index last of all, so
/// a folder with an index is complete.
public final class SafetensorsCheckpointWriter: TensorWriter {
    public let folder: String
    public let shardNames: [String]
    private let headers: [SafetensorsHeader]
    private let inputs: [String]
    private var shard = 0
    private var current: SafetensorsWriter?
    private var weightMap: [(name: String, shard: String)] = []

    /// Plans the shards and creates `folder` if needed; no file is written yet.
    public static func begin(
        folder: String, header: SafetensorsHeader, maximumShardBytes: Int, inputs: [String] = []
    ) throws -> SafetensorsCheckpointWriter {
        try SafetensorsCheckpointWriter(folder: folder, header: header, maximumShardBytes: maximumShardBytes, inputs: inputs)
    }

    private init(folder: String, header: SafetensorsHeader, maximumShardBytes: Int, inputs: [String]) throws {
        self.folder = folder
        self.inputs = inputs
        let groups = Self.shardPlan(header.tensors.map(\.byteCount), maximumShardBytes: maximumShardBytes)
        let shardNames = groups.count == 1
            ? [SafetensorsCheckpoint.singleFileName]
            : groups.indices.map { Self.shardName($0 + 1, of: groups.count) }
        headers = try zip(groups, shardNames).map { group, shardName in
            var shardHeader = SafetensorsHeader(for: folder + "/" + shardName, metadata: header.metadata)
            for index in group {
                let tensor = header.tensors[index]
                try shardHeader.addTensor(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape)
            }
            return shardHeader
        }
        self.shardNames = shardNames
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FileError(file: folder, "could not create the output folder: \(error.localizedDescription)")
        }
    }

    /// Consecutive groups of tensor indices, each at most `maximumShardBytes` unless one tensor alone is larger.
    public static func shardPlan(_ byteCounts: [Int], maximumShardBytes: Int) -> [[Int]] {
        var groups: [[Int]] = [[]]
        var size = 0
        for (index, bytes) in byteCounts.enumerated() {
            if !groups[groups.count - 1].isEmpty, size + bytes > maximumShardBytes {
                groups.append([])
                size = 0
            }
            groups[groups.count - 1].append(index)
            size += bytes
        }
        return groups
    }

    static func shardName(_ number: Int, of count: Int) -> String {
        "model-" + partNumbering(number, of: count) + ".safetensors"
    }

    /// Writes the next tensor's data in pieces (see `SafetensorsWriter.writeTensor`).
    public func writeTensor(_ body: (ChecksummingSink) throws -> Void) throws {
        let writer = try currentWriter()
        guard let tensor = writer.nextTensor else { throw everyTensorWritten }
        try writer.writeTensor(body)
        weightMap.append((tensor.name, shardNames[shard]))
        if writer.nextTensor == nil {
            try writer.finish()
            current = nil
            shard += 1
        }
    }

    /// Writes the index (for more than one shard). Throws if tensors are missing.
    public func finish() throws {
        if shard < headers.count {
            if headers[shard].tensors.isEmpty {
                try currentWriter().finish()  // a checkpoint with no tensors: one empty file
                shard += 1
            } else {
                throw FileError(file: folder, "expected data for more tensors, starting with \(try currentWriter().nextTensor?.name ?? "?")")
            }
        }
        guard shardNames.count > 1 else { return }
        let total = headers.reduce(0) { $0 + $1.dataByteCount }
        let index = JSONValue.object([
            JSONMember("metadata", .object([JSONMember("total_size", .integer(total))])),
            JSONMember("weight_map", .object(weightMap.sorted { $0.name < $1.name }.map { JSONMember($0.name, .string($0.shard)) })),
        ])
        let output = try AtomicFileWriter(destination: folder + "/" + SafetensorsCheckpoint.indexFileName, inputs: inputs)
        try output.write(Array((index.serialized(pretty: true) + "\n").utf8))
        try output.commit()
    }

    /// Abandons the shard being written; shards already complete stay.
    public func discard() {
        current?.discard()
        current = nil
    }

    private var everyTensorWritten: FileError {
        FileError(file: folder, "expected no more tensor data: every tensor is written")
    }

    private func currentWriter() throws -> SafetensorsWriter {
        if let current { return current }
        guard shard < headers.count else { throw everyTensorWritten }
        let writer = try SafetensorsWriter.begin(destination: headers[shard].destination, header: headers[shard], inputs: inputs)
        current = writer
        return writer
    }
}
