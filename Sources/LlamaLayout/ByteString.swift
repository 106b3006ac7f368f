/// Bytes as a dictionary key, hashed in one call over the whole buffer.
///
/// `[UInt8]`'s own Hashable feeds the hasher one byte at a time; recovering Llama 3's merges
/// looks up a million slices of its pieces.
struct ByteString: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ bytes: ArraySlice<UInt8>) { self.bytes = Array(bytes) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
