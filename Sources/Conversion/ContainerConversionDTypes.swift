import GGUF
import ModelFiles
import ModelIO
import Quantization
import Safetensors

/// The element types both formats hold with the same bits. Anything else has no place in the
/// other format without changing the bits (quantized GGUF types, U8/BOOL/F8 safetensors types).
enum ContainerDTypes {
    static let pairs: [(GGMLType, SafetensorsDType)] = [
        (.f32, .f32), (.f16, .f16), (.bf16, .bf16), (.f64, .f64),
        (.i8, .i8), (.i16, .i16), (.i32, .i32), (.i64, .i64),
    ]

    static func ggml(for tensor: ModelTensor) throws -> GGMLType {
        switch tensor.dtype {
        case .ggml(let type): return type
        case .safetensors(let dtype):
            guard let pair = pairs.first(where: { $0.1 == dtype }) else {
                throw FileError(file: tensor.file, "tensor \(tensor.name) is \(dtype), which GGUF cannot hold with the same bits")
            }
            return pair.0
        }
    }

    static func safetensors(for tensor: ModelTensor) throws -> SafetensorsDType {
        switch tensor.dtype {
        case .safetensors(let dtype): return dtype
        case .ggml(let type):
            guard let pair = pairs.first(where: { $0.0 == type }) else {
                throw FileError(file: tensor.file, "tensor \(tensor.name) is \(type), which safetensors cannot hold with the same bits; pass --type f16 or --type bf16 to store it as floats")
            }
            return pair.1
        }
    }

    /// The type `tensor` is stored as in the destination after `conversion`: its own (which the
    /// destination must hold with the same bits) or the conversion's target.
    static func output(_ tensor: ModelTensor, _ conversion: TensorConversion, holdsSafetensors: Bool) throws -> ModelDType {
        switch (conversion.target, holdsSafetensors) {
        case (nil, false): .ggml(try ggml(for: tensor))
        case (nil, true): .safetensors(try safetensors(for: tensor))
        case (let format?, false): .ggml(format.ggmlType)
        case (let format?, true): .safetensors(try safetensors(format, tensor))
        }
    }

    /// The safetensors dtype that holds `format`; a block format is an error naming the tensor.
    static func safetensors(_ format: ElementFormat, _ tensor: ModelTensor) throws -> SafetensorsDType {
        switch format {
        case .f32: return .f32
        case .f16: return .f16
        case .bf16: return .bf16
        default:
            throw FileError(
                file: tensor.file,
                "tensor \(tensor.name): safetensors has no \(format.description.uppercased()) dtype; write a .gguf to quantize, or pass --type f32, f16 or bf16")
        }
    }
}
