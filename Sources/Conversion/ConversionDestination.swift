/// Where a conversion writes, told from the destination path: `.gguf`, `.safetensors`, or
/// anything else, a checkpoint folder (sharded by size).
public enum ConversionDestination: Sendable, Equatable {
    case gguf(String)
    case safetensors(String)
    case checkpoint(folder: String)

    public init(path: String) {
        if path.hasSuffix(".gguf") {
            self = .gguf(path)
        } else if path.hasSuffix(".safetensors") {
            self = .safetensors(path)
        } else {
            self = .checkpoint(folder: path)
        }
    }

    public var path: String {
        switch self {
        case .gguf(let path), .safetensors(let path), .checkpoint(folder: let path): path
        }
    }

    /// True for the two destinations that hold safetensors dtypes.
    var holdsSafetensors: Bool {
        if case .gguf = self { return false }
        return true
    }
}
