import ModelIO

/// Little-endian bytes laid out by hand, field by field as the GGUF spec orders them, so that
/// hostile files can say anything (this is deliberately not the project's writer).
struct HandBuiltGGUF {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
    mutating func u64(_ v: UInt64) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
    mutating func string(_ s: String) { raw(Array(s.utf8)) }
    mutating func raw(_ b: [UInt8]) { u64(UInt64(b.count)); bytes += b }
    mutating func pad(to alignment: Int) { while bytes.count % alignment != 0 { bytes.append(0) } }

    /// Magic, version, tensor count, key count.
    mutating func preamble(version: UInt32 = 3, tensors: UInt64, keys: UInt64) {
        bytes += Array("GGUF".utf8)
        u32(version)
        u64(tensors)
        u64(keys)
    }

    mutating func stringKey(_ key: String, _ value: String) {
        string(key)
        u32(8)
        string(value)
    }

    /// A tensor info: name, n_dims, dims innermost first, type, offset.
    mutating func tensorInfo(_ name: [UInt8], dims: [UInt64], type: UInt32 = 0, offset: UInt64) {
        raw(name)
        u32(UInt32(dims.count))
        for d in dims { u64(d) }
        u32(type)
        u64(offset)
    }

    mutating func tensorInfo(_ name: String, dims: [UInt64], type: UInt32 = 0, offset: UInt64) {
        tensorInfo(Array(name.utf8), dims: dims, type: type, offset: offset)
    }

    var source: ByteSource { ByteSource(bytes: bytes, name: "hostile.gguf") }
}
