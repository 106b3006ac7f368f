import GGUF
import ModelIO

/// A metadata value of a `ModelFile`: a typed GGUF value, a safetensors `__metadata__` string,
/// or a JSON value from a checkpoint index.
public enum ModelMetadataValue: Sendable, Equatable {
    case gguf(GGUFValue)
    case string(String)
    case json(JSONValue)

    public var string: String? {
        switch self {
        case .gguf(let value): value.string
        case .string(let text): text
        case .json(let value): value.stringValue
        }
    }

    /// Any integer value (GGUF counts may be stored as u32 or u64).
    public var integer: Int? {
        switch self {
        case .gguf(let value): value.integer
        case .string: nil
        case .json(let value): value.int64Value.flatMap { Int(exactly: $0) }
        }
    }
}

extension ModelFile {
    /// The value of `key`, if the file has it.
    public func metadata(_ key: String) -> ModelMetadataValue? {
        metadata.first { $0.key == key }?.value
    }
}
