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
    /// A view of a memory map goes out in pieces of `copyPiece` bytes, each hashed and then
    /// written while it is still in the CPU's cache, in writes large enough to keep the disk busy.
    public func write(_ slice: ByteSlice) throws {
        try slice.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Self.copyPiece)
                try write(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
            }
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
