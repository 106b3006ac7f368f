import FoundationEssentials
import ModelIO

/// How big each part of a split GGUF may be: at most `maximumBytes` of tensor data (each tensor
/// counted with its padding) and at most `maximumTensors` tensors; nil is no limit. A tensor
/// larger than the byte limit gets a part of its own, as gguf-split does.
public struct GGUFSplitLimits: Sendable, Equatable {
    public var maximumBytes: Int?
    public var maximumTensors: Int?

    public init(maximumBytes: Int? = nil, maximumTensors: Int? = nil) {
        self.maximumBytes = maximumBytes
        self.maximumTensors = maximumTensors
    }

    /// The tensors' indices, grouped into parts in order.
    func groups(_ tensors: [GGUFTensorDeclaration], alignment: Int) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, tensor) in tensors.enumerated() {
            let padded = tensor.byteCount + padding(after: tensor.byteCount, toMultipleOf: alignment)
            let full = index > start
                && ((maximumTensors.map { index - start >= $0 } ?? false) || (maximumBytes.map { bytes + padded > $0 } ?? false))
            if full {
                groups.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += padded
        }
        groups.append(start..<tensors.count)
        return groups
    }
}

/// Writes a GGUF in parts as gguf-split does: `NAME-00001-of-00003.gguf` for a destination
/// `NAME.gguf`, the model's metadata in part 1, `split.no` (UINT16, 0-based), `split.count`
/// (UINT16) and `split.tensors.count` (INT32) in every part, tensor offsets per part.
///
/// Each part is a `GGUFWriter`, so each records its own tensors' checksums and appears
/// atomically. A part is put in place as soon as its last tensor is written, except part 1,
/// which is put in place last: a reader that finds part 1 finds every part.
public final class SplitGGUFWriter: TensorWriter {
    /// The paths of the parts, in order.
    public let partPaths: [String]
    private let parts: [GGUFWriter]
    private var current = 0
    private var published: [String] = []
    private var finished = false

    /// Plans the parts of `header` under `limits` and writes their headers to temporary files.
    public static func begin(
        destination: String, header: GGUFHeader, limits: GGUFSplitLimits, inputs: [String] = []
    ) throws -> SplitGGUFWriter {
        try SplitGGUFWriter(destination: destination, header: header, limits: limits, inputs: inputs)
    }

    private init(destination: String, header: GGUFHeader, limits: GGUFSplitLimits, inputs: [String]) throws {
        guard destination.hasSuffix(".gguf") else {
            throw FileError(file: destination, "expected a destination named NAME.gguf for a split GGUF")
        }
        let groups = limits.groups(header.tensors, alignment: try header.alignment())
        guard groups.count <= 99_999, header.tensors.count <= Int(Int32.max) else {
            throw FileError(file: destination, "expected at most 99999 parts, found \(groups.count): raise the split limits")
        }
        let name = SplitPartName(prefix: String(destination.dropLast(".gguf".count)), number: 1, count: groups.count)
        partPaths = (1...groups.count).map(name.path(ofPart:))
        var writers: [GGUFWriter] = []
        do {
            for (index, group) in groups.enumerated() {
                let partHeader = try Self.partHeader(
                    header, index: index, count: groups.count, tensors: group, path: partPaths[index])
                writers.append(try GGUFWriter.begin(destination: partPaths[index], header: partHeader, inputs: inputs))
            }
        } catch {
            for writer in writers { writer.discard() }
            throw error
        }
        parts = writers
    }

    /// Part 1 has the model's keys; every part has the split keys and the alignment its own
    /// data section is laid out with.
    static func partHeader(
        _ header: GGUFHeader, index: Int, count: Int, tensors: Range<Int>, path: String
    ) throws -> GGUFHeader {
        var metadata = GGUFMetadata()
        if index == 0 {
            for entry in header.metadata.entries where !SplitGGUFFile.isSplitKey(entry.key) {
                metadata.insert(entry.key, entry.value)
            }
        } else if let alignment = header.metadata["general.alignment"] {
            metadata.insert("general.alignment", alignment)
        }
        metadata.insert(SplitGGUFFile.numberKey, .uint16(UInt16(index)))
        metadata.insert(SplitGGUFFile.countKey, .uint16(UInt16(count)))
        metadata.insert(SplitGGUFFile.tensorCountKey, .int32(Int32(header.tensors.count)))
        var part = GGUFHeader(for: path, metadata: metadata)
        for tensor in header.tensors[tensors] {
            try part.addTensor(name: tensor.name, type: tensor.type, shape: tensor.shape)
        }
        return part
    }

    public func writeTensor(_ body: (ChecksummingSink) throws -> Void) throws {
        while current < parts.count - 1, parts[current].nextTensor == nil { current += 1 }
        try parts[current].writeTensor(body)
        if current > 0, parts[current].nextTensor == nil {
            try parts[current].finish()
            published.append(partPaths[current])
        }
    }

    /// Puts part 1 in place, after every other part is.
    public func finish() throws {
        for index in parts.indices.dropFirst() where !published.contains(partPaths[index]) {
            try parts[index].finish()
            published.append(partPaths[index])
        }
        try parts[0].finish()
        finished = true
    }

    /// A writer dropped before `finish` (a conversion that failed) leaves nothing behind.
    deinit { if !finished { discard() } }

    /// Abandons every part not yet in place, and removes the parts this writer already put in
    /// place: without part 1 they are no model.
    public func discard() {
        guard !finished else { return }
        for (index, writer) in parts.enumerated() where !published.contains(partPaths[index]) { writer.discard() }
        for path in published { try? FileManager.default.removeItem(atPath: path) }
        published = []
    }
}
