import ModelIO

/// Lays a `GGUFHeader` out as bytes, in the spec's order: magic, version, counts, key-value
/// pairs, tensor infos, padding to the alignment. Little-endian only.
struct GGUFHeaderEncoder {
    private(set) var bytes: [UInt8] = []

    mutating func u32(_ value: UInt32) { bytes.appendLittleEndian(value) }
    mutating func u64(_ value: UInt64) { bytes.appendLittleEndian(value) }
    mutating func string(_ text: String) {
        u64(UInt64(text.utf8.count))
        bytes += text.utf8
    }

    mutating func preamble(tensorCount: Int, keyCount: Int) {
        bytes += GGUFFile.magic
        u32(GGUFFile.writtenVersion)
        u64(UInt64(tensorCount))
        u64(UInt64(keyCount))
    }

    mutating func keyValue(_ key: String, _ value: GGUFValue) throws {
        string(key)
        u32(value.type.rawValue)
        try self.value(value)
    }

    mutating func value(_ value: GGUFValue) throws {
        switch value {
        case .uint8(let v): bytes.appendLittleEndian(v)
        case .int8(let v): bytes.appendLittleEndian(v)
        case .uint16(let v): bytes.appendLittleEndian(v)
        case .int16(let v): bytes.appendLittleEndian(v)
        case .uint32(let v): bytes.appendLittleEndian(v)
        case .int32(let v): bytes.appendLittleEndian(v)
        case .float32(let v): bytes.appendLittleEndian(v.bitPattern)
        case .bool(let v): bytes.appendLittleEndian(UInt8(v ? 1 : 0))
        case .string(let v): string(v)
        case .uint64(let v): bytes.appendLittleEndian(v)
        case .int64(let v): bytes.appendLittleEndian(v)
        case .float64(let v): bytes.appendLittleEndian(v.bitPattern)
        case .array(let array): try self.array(array)
        }
    }

    /// An array read from a GGUF file is copied as its stored bytes (it is already in this
    /// encoding); an in-memory one is encoded element by element.
    mutating func array(_ array: GGUFArray) throws {
        u32(array.elementType.rawValue)
        u64(UInt64(array.count))
        switch array.storage {
        case .file(let slice, _, _):
            slice.withUnsafeBytes { bytes += $0 }
        case .values(let values):
            for element in values {
                if case .array(let inner) = element { try self.array(inner) } else { try value(element) }
            }
        }
    }

    mutating func tensorInfo(_ tensor: GGUFTensorDeclaration, offset: Int) {
        string(tensor.name)
        u32(UInt32(tensor.dimensions.count))
        for size in tensor.dimensions { u64(UInt64(size)) }
        u32(tensor.type.rawValue)
        u64(UInt64(offset))
    }
}
