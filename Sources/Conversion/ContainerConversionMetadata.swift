import GGUF
import ModelFiles
import ModelIO

/// Which metadata crosses to the other format, and how. Checksum fields never cross: every
/// writer records fresh ones for what it writes.
enum ContainerMetadata {
    /// GGUF keys keep their types; a source split's `split.*` keys never cross (the writer of a
    /// split output sets its own). safetensors strings become GGUF STRING values; an index's
    /// non-string values (total_size describes the old shards) are left out.
    static func forGGUF(_ file: ModelFile) -> (metadata: GGUFMetadata, skipped: [String]) {
        var metadata = GGUFMetadata()
        var skipped: [String] = []
        for entry in file.metadata where !ChecksumKeys.isChecksum(entry.key) && !SplitGGUFFile.isSplitKey(entry.key) {
            switch entry.value {
            case .gguf(let value): metadata.insert(entry.key, value)
            case .string(let text): metadata.insert(entry.key, .string(text))
            case .json(let json):
                if let text = json.stringValue { metadata.insert(entry.key, .string(text)) } else { skipped.append(entry.key) }
            }
        }
        return (metadata, skipped)
    }

    /// safetensors `__metadata__` holds strings: GGUF scalars are written as text (integers
    /// exactly, floats as their shortest decimal, booleans as true/false); arrays are left out.
    static func forSafetensors(_ file: ModelFile) -> (metadata: [(key: String, value: String)], skipped: [String]) {
        var metadata: [(key: String, value: String)] = []
        var skipped: [String] = []
        for entry in file.metadata where !ChecksumKeys.isChecksum(entry.key) {
            if let text = text(of: entry.value) { metadata.append((entry.key, text)) } else { skipped.append(entry.key) }
        }
        return (metadata, skipped)
    }

    static func text(of value: ModelMetadataValue) -> String? {
        switch value {
        case .string(let text): return text
        case .json(let json): return json.stringValue
        case .gguf(let gguf):
            switch gguf {
            case .string(let text): return text
            case .bool(let flag): return flag ? "true" : "false"
            case .float32(let v): return "\(v)"
            case .float64(let v): return "\(v)"
            case .uint8(let v): return String(v)
            case .int8(let v): return String(v)
            case .uint16(let v): return String(v)
            case .int16(let v): return String(v)
            case .uint32(let v): return String(v)
            case .int32(let v): return String(v)
            case .uint64(let v): return String(v)
            case .int64(let v): return String(v)
            case .array: return nil
            }
        }
    }
}
