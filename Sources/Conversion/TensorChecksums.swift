import LlamaLayout
import ModelIO

/// XXH3-64 of one tensor's stored bytes (padding excluded), as `llama3 checksum` prints it.
public struct TensorChecksum: Sendable, Equatable {
    public let name: String
    /// The file holding the tensor (a shard, for a sharded checkpoint).
    public let file: String
    public let bytes: Int
    public let xxh3: UInt64
}

public enum TensorChecksums {
    /// Digests of every tensor of `file`, in file order. Tensors are hashed in parallel, each by
    /// one worker (XXH3 is a sequential stream); the result does not depend on `threads`.
    public static func compute(_ file: ModelFile, threads: Int) throws -> [TensorChecksum] {
        let tensors = file.tensors
        let digests = DigestSlots(count: tensors.count)
        // Largest first, so that one big tensor does not start last and leave the other workers idle.
        let order = tensors.indices.sorted { tensors[$0].byteCount > tensors[$1].byteCount }
        try parallelFor(0..<order.count, threads: threads) { position in
            let index = order[position]
            digests.set(index, XXH3.hash64(tensors[index].data))
        }
        return tensors.indices.map { index in
            TensorChecksum(name: tensors[index].name, file: tensors[index].file, bytes: tensors[index].byteCount, xxh3: digests[index])
        }
    }

    /// Text for `llama3 checksum`: `DIGEST  NAME` per tensor, the layout of `xxhsum`'s lines.
    public static func text(_ checksums: [TensorChecksum]) -> String {
        checksums.map { "\(hex16($0.xxh3))  \($0.name)\n" }.joined()
    }

    /// JSON for `llama3 checksum --json`.
    public static func json(_ checksums: [TensorChecksum], path: String, format: String) -> JSONValue {
        .object([
            JSONMember("path", .string(path)),
            JSONMember("format", .string(format)),
            JSONMember("algorithm", "xxh3_64"),
            JSONMember("tensors", .array(checksums.map { checksum in
                .object([
                    JSONMember("name", .string(checksum.name)),
                    JSONMember("xxh3_64", .string(hex16(checksum.xxh3))),
                    JSONMember("bytes", .integer(checksum.bytes)),
                    JSONMember("file", .string(checksum.file)),
                ])
            })),
        ])
    }
}

/// One UInt64 per tensor, each written by exactly one worker.
private final class DigestSlots: @unchecked Sendable {
    // @unchecked: every index is written once, by one worker, and read only after parallelFor returns.
    private var values: [UInt64]
    init(count: Int) { values = [UInt64](repeating: 0, count: count) }
    func set(_ index: Int, _ value: UInt64) { values.withUnsafeMutableBufferPointer { $0[index] = value } }
    subscript(index: Int) -> UInt64 { values[index] }
}
