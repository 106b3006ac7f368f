import GGUF
import ModelIO
import Safetensors

/// One tensor of a `ModelFile`, in the same terms whatever the format.
public struct ModelTensor: Sendable {
    public let name: String
    public let dtype: ModelDType
    /// Row-major shape, outermost first (numpy's and safetensors' order; GGUF's dims reversed).
    public let shape: [Int]
    /// The tensor's stored bytes (padding excluded): a view into the file, not a copy.
    public let data: ByteSlice

    /// The file the tensor lives in (a shard, for a sharded checkpoint).
    public var file: String { data.source.name }
    /// Absolute byte offset of the data in `file`.
    public var offset: Int { data.offset }
    public var byteCount: Int { data.count }
    public var elementCount: Int { shape.reduce(1, *) }

    public init(name: String, dtype: ModelDType, shape: [Int], data: ByteSlice) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.data = data
    }

    init(gguf tensor: GGUFTensorInfo) {
        self.init(name: tensor.name, dtype: .ggml(tensor.type), shape: tensor.shape, data: tensor.data)
    }

    init(safetensors tensor: SafetensorsTensorInfo) {
        self.init(name: tensor.name, dtype: .safetensors(tensor.dtype), shape: tensor.shape, data: tensor.data)
    }
}

/// A tensor's element type in its own format's terms.
public enum ModelDType: Sendable, Equatable, CustomStringConvertible {
    case ggml(GGMLType)
    case safetensors(SafetensorsDType)

    /// The name the format uses ("F32", "Q4_K", "BF16", "F8_E4M3").
    public var name: String {
        switch self {
        case .ggml(let type): type.name
        case .safetensors(let dtype): dtype.name
        }
    }

    public var description: String { name }
}
