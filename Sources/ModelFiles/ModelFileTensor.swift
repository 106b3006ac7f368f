import GGUF
import ModelIO
import PyTorchCheckpoint
import Safetensors

/// One tensor of a `ModelFile`, in the same terms whatever the format.
public struct ModelTensor: Sendable {
    public let name: String
    public let dtype: ModelDType
    /// Row-major shape, outermost first (numpy's and safetensors' order; GGUF's dims reversed).
    public let shape: [Int]
    /// The tensor's stored bytes (padding excluded): a view into the file, not a copy. A tensor
    /// merged from several model-parallel ranks of a Meta checkpoint lies in no one range: its
    /// `data` is the empty range at its first part, and `pieces` holds its bytes.
    public let data: ByteSlice
    /// The stored bytes in row-major order, in one piece or more (see `data`).
    public let pieces: TensorPieces

    /// The file the tensor lives in (a shard, for a sharded checkpoint; rank 0's file, for a merged tensor).
    public var file: String { data.source.name }
    /// Absolute byte offset of the data in `file`.
    public var offset: Int { data.offset }
    public var byteCount: Int { pieces.byteCount }
    public var elementCount: Int { shape.reduce(1, *) }
    /// True when `data` holds every byte (all tensors but merged ones).
    public var isInOneRange: Bool { data.count == pieces.byteCount }

    public init(name: String, dtype: ModelDType, shape: [Int], data: ByteSlice) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.data = data
        pieces = TensorPieces(data)
    }

    /// A tensor whose bytes are `pieces` (a merge of model-parallel parts).
    init(name: String, dtype: ModelDType, shape: [Int], pieces: TensorPieces, firstPart: ByteSlice) throws {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.pieces = pieces
        data = pieces.count == 1 ? pieces[0] : try firstPart.slice(offset: 0, length: 0)
    }

    init(gguf tensor: GGUFTensorInfo) {
        self.init(name: tensor.name, dtype: .ggml(tensor.type), shape: tensor.shape, data: tensor.data)
    }

    init(safetensors tensor: SafetensorsTensorInfo) {
        self.init(name: tensor.name, dtype: .safetensors(tensor.dtype), shape: tensor.shape, data: tensor.data)
    }

    init(pyTorch tensor: PyTorchFile.Tensor) {
        self.init(name: tensor.name, dtype: ModelDType(tensor.dtype), shape: tensor.shape, data: tensor.data)
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

    /// A checkpoint's element type in safetensors' terms, which name the same three types.
    init(_ dtype: PyTorchDType) {
        switch dtype {
        case .bf16: self = .safetensors(.bf16)
        case .f16: self = .safetensors(.f16)
        case .f32: self = .safetensors(.f32)
        }
    }
}
