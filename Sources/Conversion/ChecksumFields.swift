import GGUF
import ModelFiles
import ModelIO

/// Reads the per-tensor digests a file records under `ChecksumKeys` (ModelIO; Docs/CLI.md fixes the
/// fields), checking their form.
public enum ChecksumFields {
    /// The digests `file` records, by tensor name; empty when it records none.
    /// A field that is there but malformed is an error naming the key.
    public static func recorded(in file: ModelFile) throws -> [String: UInt64] {
        switch file.container {
        case .gguf(let gguf): return try recorded(inGGUF: gguf)
        case .splitGGUF(let split):
            // Each part records its own tensors' digests.
            var digests: [String: UInt64] = [:]
            for part in split.parts { digests.merge(try recorded(inGGUF: part)) { first, _ in first } }
            return digests
        case .safetensors, .checkpoint: return try recorded(inSafetensorsMetadata: file)
        case .pyTorch, .metaCheckpoint: return [:]
        }
    }

    static func recorded(inGGUF file: GGUFFile) throws -> [String: UInt64] {
        guard let value = file.metadata[ChecksumKeys.gguf] else { return [:] }
        guard let array = value.array, array.elementType == .uint64 else {
            let found = value.array.map { "an array of \($0.elementType)" } ?? "a \(value.type)"
            throw FileError(file: file.source.name, "expected \(ChecksumKeys.gguf) to be an array of UINT64, found \(found)")
        }
        guard array.count == file.tensors.count else {
            throw FileError(
                file: file.source.name,
                "expected \(ChecksumKeys.gguf) to hold one digest per tensor (\(file.tensors.count)), found \(array.count)")
        }
        let digests = try array.uint64s()
        return Dictionary(zip(file.tensors.map(\.name), digests), uniquingKeysWith: { first, _ in first })
    }

    static func recorded(inSafetensorsMetadata file: ModelFile) throws -> [String: UInt64] {
        var digests: [String: UInt64] = [:]
        for (key, value) in file.metadata where key.hasPrefix(ChecksumKeys.safetensorsPrefix) {
            let name = String(key.dropFirst(ChecksumKeys.safetensorsPrefix.count))
            guard let text = value.string, let digest = parseHex16(text) else {
                throw FileError(file: file.path, "expected \(key) to be 16 lowercase hex digits, found \(value.string.map { "\"\($0)\"" } ?? "a non-string")")
            }
            digests[name] = digest
        }
        return digests
    }

    /// Exactly 16 lowercase hex digits, the form `hex16` prints.
    static func parseHex16(_ text: String) -> UInt64? {
        let digits = Array(text.utf8)
        guard digits.count == 16 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(digit - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value
    }
}
