import ModelFiles
import ModelIO
import Synchronization

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
    /// `progress(done, total)` counts the bytes of the tensors hashed so far, from any worker,
    /// one call at a time.
    public static func compute(
        _ file: ModelFile, threads: Int, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) throws -> [TensorChecksum] {
        let tensors = file.tensors
        // Largest first, so that one big tensor does not start last and leave the other workers idle.
        let order = tensors.indices.sorted { tensors[$0].byteCount > tensors[$1].byteCount }
        let total = tensors.reduce(0) { $0 + $1.byteCount }
        let done = Mutex(0)
        let digestsInOrder = try parallelMap(0..<order.count, threads: threads) { position in
            let tensor = tensors[order[position]]
            let digest = tensor.isInOneRange ? XXH3.hash64(tensor.data) : digestOfPieces(tensor.pieces)
            ByteSlice.releaseMappedPages(spanning: tensor.pieces.spans)
            done.withLock { bytes in
                bytes += tensor.byteCount
                progress(bytes, total)
            }
            return digest
        }
        var digests = [UInt64](repeating: 0, count: tensors.count)
        for (position, index) in order.enumerated() { digests[index] = digestsInOrder[position] }
        return tensors.indices.map { index in
            TensorChecksum(name: tensors[index].name, file: tensors[index].file, bytes: tensors[index].byteCount, xxh3: digests[index])
        }
    }

    /// The digest of a tensor merged from model-parallel parts: its bytes in row-major order.
    static func digestOfPieces(_ pieces: TensorPieces) -> UInt64 {
        let hasher = XXH3Stream64()
        for piece in pieces { piece.withUnsafeBytes { hasher.update($0) } }
        return hasher.digest
    }

    /// Text for `llama3 checksum`: `DIGEST  NAME` per tensor, the layout of `xxhsum`'s lines.
    public static func text(_ checksums: [TensorChecksum]) -> String {
        checksums.map { "\(hex16($0.xxh3))  \($0.name.escapingControlCharacters())\n" }.joined()
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
