import CXXHash

/// XXH3 digests (libxxhash), the checksums every file this project writes records.
/// Seed 0, as `xxhsum -H3` / `-H2` print them.
public enum XXH3 {
    public static func hash64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        XXH3_64bits(bytes.baseAddress, bytes.count)
    }

    public static func hash64(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash64($0) }
    }

    public static func hash64(_ slice: ByteSlice) -> UInt64 {
        slice.withUnsafeBytes { hash64($0) }
    }

    public static func hash128(_ bytes: UnsafeRawBufferPointer) -> XXH3Digest128 {
        let value = XXH3_128bits(bytes.baseAddress, bytes.count)
        return XXH3Digest128(high: value.high64, low: value.low64)
    }

    public static func hash128(_ bytes: [UInt8]) -> XXH3Digest128 {
        bytes.withUnsafeBytes { hash128($0) }
    }
}

public struct XXH3Digest128: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64
    /// 32 lowercase hex digits, high half first, as xxhsum prints it.
    public var description: String { hex16(high) + hex16(low) }
}

/// 16 lowercase hex digits: the form checksums are printed and stored in.
public func hex16(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

/// Incremental XXH3-64 over data that arrives in pieces (a stream being written or read).
public final class XXH3Stream64 {
    private let state: OpaquePointer

    public init() {
        // Allocation of a few hundred bytes; failure means the process is out of memory.
        state = XXH3_createState()!
        XXH3_64bits_reset(state)
    }

    deinit { XXH3_freeState(state) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        XXH3_64bits_update(state, bytes.baseAddress, bytes.count)
    }

    public func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    public var digest: UInt64 { XXH3_64bits_digest(state) }
}
