import GGUF
import LlamaLayout
import ModelIO
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
                throw FileError(file: tensor.file, "tensor \(tensor.name) is \(type), which safetensors cannot hold with the same bits")
            }
            return pair.1
        }
    }
}
