import GGUF
import ModelIO
import Quantization

/// What `llama3 quantize` and `convert --type` do to one tensor, decided from its type and shape.
///
/// The rule of llama.cpp's "pure" mode: every float tensor of two or more dimensions gets the
/// target type; a 1-D float tensor (norms, biases, rope frequencies) becomes F32; integer tensors
/// (indices, masks) are copied, having no float values to convert. Dimensions of size 1 on the
/// outside do not count, as in ggml's `ggml_n_dims`.
public enum TensorConversion: Sendable, Equatable {
    case copy
    case convert(from: ElementFormat, to: ElementFormat)

    public var target: ElementFormat? {
        if case .convert(_, let to) = self { return to }
        return nil
    }
}

public struct TypeConversionRule: Sendable {
    public let target: ElementFormat

    public init(target: ElementFormat) { self.target = target }

    /// The conversion of tensor `name`, stored as `source` (nil: a type the kernels do not read,
    /// named `typeName`; `isInteger` when that is an integer or boolean type) with row-major
    /// `shape`. Throws a `FileError` about `file` naming the tensor when it cannot get the target type.
    public func conversion(
        name: String, source: ElementFormat?, typeName: String, isInteger: Bool = false, shape: [Int], file: String
    ) throws -> TensorConversion {
        let problem = { (text: String) in FileError(file: file, "tensor \(name): \(text)") }
        if source == nil && isInteger { return .copy }
        guard Self.significantDimensions(shape) >= 2 else {
            guard let source, !source.isQuantized else { return .copy }
            return source == .f32 ? .copy : .convert(from: source, to: .f32)
        }
        guard let source else {
            throw problem("cannot convert \(typeName) data to \(target.description.uppercased()); expected F32, F16 or BF16")
        }
        if source == target { return .copy }
        if source.isQuantized && target.isQuantized {
            throw problem(
                "is already \(source.description.uppercased()); requantizing to \(target.description.uppercased()) would compound the rounding, so it is refused (start from the F32/F16/BF16 file)")
        }
        let rowLength = shape.last ?? 0
        if target.isQuantized && rowLength % target.elementsPerBlock != 0 {
            throw problem(
                "row length \(rowLength) (shape \(shape)) is not a multiple of \(target.elementsPerBlock), the \(target.description.uppercased()) block size")
        }
        return .convert(from: source, to: target)
    }

    /// ggml_n_dims: the dimensions left after dropping outer sizes of 1 (at least 1).
    public static func significantDimensions(_ shape: [Int]) -> Int {
        max(1, shape.count - shape.prefix { $0 == 1 }.count)
    }

    /// llama.cpp's `general.file_type` (enum llama_ftype) for a file whose big tensors are `format`.
    public static func llamaFileType(_ format: ElementFormat) -> UInt32 {
        switch format {
        case .f32: 0
        case .f16: 1
        case .q4_0: 2
        case .q4_1: 3
        case .q8_0: 7
        case .bf16: 32
        }
    }
}

extension GGMLType {
    /// ggml's integer element types, which conversions copy.
    public var isInteger: Bool {
        switch self {
        case .i8, .i16, .i32, .i64: true
        default: false
        }
    }
}

extension ElementFormat {
    /// The kernels' view of a GGUF tensor type (nil for types they do not read or write).
    public init?(_ type: GGMLType) {
        switch type {
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q8_0: self = .q8_0
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        default: return nil
        }
    }

    public var ggmlType: GGMLType {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        case .q8_0: .q8_0
        case .q4_0: .q4_0
        case .q4_1: .q4_1
        }
    }
}
