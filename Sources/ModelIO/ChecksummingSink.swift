/// Takes one tensor's bytes in pieces, counting and hashing them (XXH3-64) on their way to the
/// output: how every writer records the checksum of each tensor it streams.
public final class ChecksummingSink {
    private let output: AtomicFileWriter
    private let hasher = XXH3Stream64()
    public private(set) var written = 0

    /// Writers make one per tensor; callers only receive it.
    public init(output: AtomicFileWriter) { self.output = output }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        try output.write(bytes)
        written += bytes.count
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// Copies bytes that are not changed, in pieces of `copyPiece` bytes: each is hashed from the
    /// map, copied file to file by the kernel where it can (`AtomicFileWriter.copy`), and then
    /// released from this process's memory, so the resident size stays one piece, not the input.
    public func write(_ slice: ByteSlice) throws {
        var start = 0
        while start < slice.count {
            let piece = try slice.slice(offset: start, length: min(Self.copyPiece, slice.count - start))
            piece.withUnsafeBytes { hasher.update($0) }
            try output.copy(piece)
            written += piece.count
            piece.releaseMappedPages()
            start += piece.count
        }
    }

    static let copyPiece = 4 << 20

    /// XXH3-64 of every byte written so far.
    public var digest: UInt64 { hasher.digest }
}

/// Where files record the digests a `ChecksummingSink` computes, one XXH3-64 per tensor of its
/// stored bytes (padding excluded), as Docs/CLI.md fixes them:
/// - GGUF: the key `checksum.xxh3_64`, an array of UINT64 in tensor-info order;
/// - safetensors: `__metadata__` keys `checksum.xxh3_64.NAME`, 16 lowercase hex digits each
///   (in every shard of a checkpoint, for the shard's own tensors).
/// Writers record these themselves and drop any such key a caller hands them.
public enum ChecksumKeys {
    public static let gguf = "checksum.xxh3_64"
    public static let safetensorsPrefix = gguf + "."

    public static func safetensors(tensor name: String) -> String { safetensorsPrefix + name }

    /// Whether `key` is one of the above, in either format.
    public static func isChecksum(_ key: String) -> Bool {
        key == gguf || key.hasPrefix(safetensorsPrefix)
    }
}
