import Glibc
import ModelIO

/// Writes a Hugging Face checkpoint folder: tensors split into shards of at most
/// `maximumShardBytes` (a tensor larger than that gets a shard of its own), named
/// `model-0000i-of-0000N.safetensors`, plus `model.safetensors.index.json` mapping each tensor to
/// its shard. One shard is written as `model.safetensors` with no index, as transformers does.
///
/// Like the single-file writer it takes tensor data one tensor at a time in declared order. The
/// folder appears complete or not at all (`AtomicFolder`): shards, index and side files are
/// written into a hidden sibling, which `finish()` swaps in for the destination. An existing
/// destination is replaced only when it holds nothing but a checkpoint (`isCheckpointFileName`).
public final class SafetensorsCheckpointWriter: TensorWriter {
    public let folder: String
    public let shardNames: [String]
    private let headers: [SafetensorsHeader]
    private let inputs: [String]
    private let sideFiles: [(name: String, bytes: [UInt8])]
    private let output: AtomicFolder
    private var shard = 0
    private var current: SafetensorsWriter?
    private var weightMap: [(name: String, shard: String)] = []

    /// Plans the shards and makes the hidden staging folder; no file is written yet. `sideFiles`
    /// (config.json, ...) go into the folder with the shards.
    public static func begin(
        folder: String, header: SafetensorsHeader, maximumShardBytes: Int, inputs: [String] = [],
        sideFiles: [(name: String, bytes: [UInt8])] = []
    ) throws -> SafetensorsCheckpointWriter {
        try SafetensorsCheckpointWriter(
            folder: folder, header: header, maximumShardBytes: maximumShardBytes, inputs: inputs, sideFiles: sideFiles)
    }

    /// The names a checkpoint written by `convert` can hold (shards, index, and the side files of
    /// a Llama GGUF -> HF conversion): an existing destination holding any other name is not replaced.
    public static func isCheckpointFileName(_ name: String) -> Bool {
        let fixedNames = [
            SafetensorsCheckpoint.singleFileName, SafetensorsCheckpoint.indexFileName, "config.json",
            "generation_config.json", "tokenizer.json", "tokenizer_config.json",
        ]
        return fixedNames.contains(name) || SafetensorsCheckpoint.shardNumbering(name) != nil
    }

    private init(
        folder: String, header: SafetensorsHeader, maximumShardBytes: Int, inputs: [String],
        sideFiles: [(name: String, bytes: [UInt8])]
    ) throws {
        self.folder = folder
        self.inputs = inputs
        self.sideFiles = sideFiles
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
        output = try AtomicFolder(destination: folder, inputs: inputs, isReplaceable: Self.isCheckpointFileName)
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

    /// Writes the index (for more than one shard) and the side files, then puts the folder in
    /// place. Throws if tensors are missing.
    public func finish() throws {
        if shard < headers.count {
            if headers[shard].tensors.isEmpty {
                try currentWriter().finish()  // a checkpoint with no tensors: one empty file
                shard += 1
            } else {
                throw FileError(file: folder, "expected data for more tensors, starting with \(try currentWriter().nextTensor?.name ?? "?")")
            }
        }
        if shardNames.count > 1 { try writeIndex() }
        for file in sideFiles { try writeFile(file.name, file.bytes) }
        try output.commit()
    }

    private func writeIndex() throws {
        let total = headers.reduce(0) { $0 + $1.dataByteCount }
        let index = JSONValue.object([
            JSONMember("metadata", .object([JSONMember("total_size", .integer(total))])),
            JSONMember("weight_map", .object(weightMap.sorted { $0.name < $1.name }.map { JSONMember($0.name, .string($0.shard)) })),
        ])
        try writeFile(SafetensorsCheckpoint.indexFileName, Array((index.serialized(pretty: true) + "\n").utf8))
    }

    private func writeFile(_ name: String, _ bytes: [UInt8]) throws {
        let file = try AtomicFileWriter(destination: output.staging + "/" + name, inputs: inputs)
        try file.write(bytes)
        try file.commit()
    }

    /// Abandons the output: nothing appears at the destination, an old folder there stays as it was.
    public func discard() {
        current?.discard()
        current = nil
        output.discard()
    }

    private var everyTensorWritten: FileError {
        FileError(file: folder, "expected no more tensor data: every tensor is written")
    }

    private func currentWriter() throws -> SafetensorsWriter {
        if let current { return current }
        guard shard < headers.count else { throw everyTensorWritten }
        let writer = try SafetensorsWriter.begin(
            destination: output.staging + "/" + shardNames[shard], header: headers[shard], inputs: inputs)
        current = writer
        return writer
    }
}
