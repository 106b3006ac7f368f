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
