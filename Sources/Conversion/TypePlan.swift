import GGUF
import ModelFiles
import ModelIO
import Quantization
import Safetensors

/// What `convert --type` (and `quantize`, which is convert with a type) does to one tensor,
/// decided from its type and shape by `TypePlan`.
///
/// The rule of llama.cpp's "pure" mode: every float tensor of two or more dimensions gets the
/// target type; a 1-D float tensor (norms, biases, rope frequencies) becomes F32; integer tensors
/// (indices, masks) are copied, having no float values to convert. A 1-D tensor already quantized
/// is refused as a 2-D one is (dequantized to F32 with `allowRequantize`), and one of a type the
/// kernels do not read (F64, IQ types) is refused by name. Dimensions of size 1 on the
/// outside do not count, as in ggml's `ggml_n_dims`.
public enum TensorConversion: Sendable, Equatable {
    case copy
    case convert(from: ElementFormat, to: ElementFormat)

    public var target: ElementFormat? {
        if case .convert(_, let to) = self { return to }
        return nil
    }
}

/// The type plan: expands a whole-file type (`--type`) into each tensor's conversion. Without a
/// type every tensor is copied as it is. With one, the tensors of two or more dimensions get
/// llama-quantize's default mix for the type (`LlamaQuantizationMix`), or with `pure` the type
/// itself, every one (llama-quantize's `--pure`); a tensor that is already quantized to another
/// type is refused unless `allowRequantize` (then it goes through f32).
public struct TypePlan: Sendable {
    public let fileType: WholeFileType?
    public let pure: Bool
    public let allowRequantize: Bool

    public init(_ fileType: WholeFileType?, pure: Bool = false, allowRequantize: Bool = false) {
        self.fileType = fileType
        self.pure = pure
        self.allowRequantize = allowRequantize
    }

    /// What the mix reads of the model, from a GGUF's `<architecture>.*` keys (zeros when absent).
    public struct ModelShape: Sendable {
        public var layers: Int, heads: Int, kvHeads: Int, experts: Int

        public init(layers: Int, heads: Int, kvHeads: Int, experts: Int = 0) {
            (self.layers, self.heads, self.kvHeads, self.experts) = (layers, heads, kvHeads, experts)
        }

        public init(_ file: ModelFile) {
            let architecture = file.metadata("general.architecture")?.string ?? "llama"
            let value = { (key: String) in file.metadata("\(architecture).\(key)")?.integer }
            let heads = value("attention.head_count") ?? 0
            self.init(
                layers: value("block_count") ?? 0, heads: heads, kvHeads: value("attention.head_count_kv") ?? heads,
                experts: value("expert_count") ?? 0)
        }
    }

    /// Every tensor's fate, in file order, decided (and any refusal thrown) before a byte is
    /// written. The mix reads the tensors by their GGUF names (`ggufNames`, one per tensor, for a
    /// file that has other names) and the model's shape (`model`, by default the file's keys).
    public func conversions(
        of file: ModelFile, ggufNames: [String]? = nil, model: ModelShape? = nil
    ) throws -> [TensorConversion] {
        // The float types' mix is the type itself wherever llama.cpp converts at all.
        guard let fileType, fileType.isQuantized, !pure else {
            return try file.tensors.map { try conversion(of: $0, target: fileType?.baseFormat) }
        }
        let names = ggufNames ?? file.tensors.map(\.name)
        let mix = LlamaQuantizationMix(fileType: fileType, model: model ?? ModelShape(file))
        let targets = mix.targets(zip(names, file.tensors).map { name, tensor in
            LlamaQuantizationMix.Tensor(
                name: name, rowLength: tensor.shape.last ?? 0, dimensions: Self.significantDimensions(tensor.shape))
        })
        return try zip(file.tensors, targets).map { tensor, target in
            // A 2-D tensor the mix leaves alone is copied; 1-D ones follow the common rule.
            if target == nil && Self.significantDimensions(tensor.shape) >= 2 { return .copy }
            return try conversion(of: tensor, target: target ?? fileType.baseFormat)
        }
    }

    func conversion(of tensor: ModelTensor, target: ElementFormat?) throws -> TensorConversion {
        try conversion(
            name: tensor.name, source: ElementFormat(tensor.dtype), typeName: tensor.dtype.name,
            isInteger: tensor.dtype.isInteger, shape: tensor.shape, file: tensor.file, target: target)
    }

    /// The conversion of tensor `name` to `target` (nil: no type, a copy), stored as `source`
    /// (nil: a type the kernels do not read, named `typeName`; `isInteger` when that is an integer
    /// or boolean type) with row-major `shape`. Throws a `FileError` about `file` naming the
    /// tensor when it cannot get the type.
    func conversion(
        name: String, source: ElementFormat?, typeName: String, isInteger: Bool = false, shape: [Int], file: String,
        target: ElementFormat?
    ) throws -> TensorConversion {
        guard let requested = target else { return .copy }
        let problem = { (text: String) in FileError(file: file, "tensor \(name): \(text)") }
        if source == nil && isInteger { return .copy }
        // 1-D tensors (norms) become F32 whatever the target; the refusals below hold for them
        // too, so no tensor is ever copied in a type it was not asked for without a word.
        let target = Self.significantDimensions(shape) >= 2 ? requested : .f32
        guard let source else {
            throw problem("cannot convert \(typeName) data to \(target.description.uppercased()); expected F32, F16 or BF16")
        }
        if source == target { return .copy }
        if source.isQuantized && !allowRequantize && Self.significantDimensions(shape) < 2 {
            throw problem(
                "is already \(source.description.uppercased()); a 1-D tensor is written as F32, which would dequantize it, so it is refused (start from the F32/F16/BF16 file, or pass --allow-requantize)")
        }
        if source.isQuantized && !allowRequantize {
            throw problem(
                "is already \(source.description.uppercased()); requantizing to \(target.description.uppercased()) would compound the rounding, so it is refused (start from the F32/F16/BF16 file, or pass --allow-requantize)")
        }
        if Self.significantDimensions(shape) < 2 { return .convert(from: source, to: .f32) }
        let rowLength = shape.last ?? 0
        if target.isQuantized && rowLength % target.elementsPerBlock != 0 {
            throw problem(
                "row length \(rowLength) (shape \(shape)) is not a multiple of \(target.elementsPerBlock), the \(target.description.uppercased()) block size")
        }
        return .convert(from: source, to: target)
    }

    /// `general.file_type` (and, for block types, `general.quantization_version`) of a GGUF
    /// written with this plan; nothing without a type.
    public func stamp(_ metadata: inout GGUFMetadata) {
        guard let fileType else { return }
        metadata.set("general.file_type", .uint32(fileType.llamaFileType))
        if fileType.isQuantized {
            metadata.set("general.quantization_version", .uint32(Self.quantizationVersion))
        }
    }

    /// ggml's GGML_QNT_VERSION, which llama.cpp writes and checks.
    public static let quantizationVersion: UInt32 = 2

    /// ggml_n_dims: the dimensions left after dropping outer sizes of 1 (at least 1).
    public static func significantDimensions(_ shape: [Int]) -> Int {
        max(1, shape.count - shape.prefix { $0 == 1 }.count)
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
        case .q5_0: self = .q5_0
        case .q5_1: self = .q5_1
        case .q2_K: self = .q2_K
        case .q3_K: self = .q3_K
        case .q4_K: self = .q4_K
        case .q5_K: self = .q5_K
        case .q6_K: self = .q6_K
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
        case .q5_0: .q5_0
        case .q5_1: .q5_1
        case .q2_K: .q2_K
        case .q3_K: .q3_K
        case .q4_K: .q4_K
        case .q5_K: .q5_K
        case .q6_K: .q6_K
        }
    }
}

extension ElementFormat {
    /// The kernels' view of a model tensor's dtype (nil for types they do not read).
    public init?(_ dtype: ModelDType) {
        switch dtype {
        case .ggml(let type): self.init(type)
        case .safetensors(.f32): self = .f32
        case .safetensors(.f16): self = .f16
        case .safetensors(.bf16): self = .bf16
        case .safetensors: return nil
        }
    }
}

extension ModelDType {
    /// Integer and boolean types, which conversions copy: they have no float values to convert.
    var isInteger: Bool {
        switch self {
        case .ggml(let type): type.isInteger
        case .safetensors(let dtype): [.bool, .u8, .i8, .u16, .i16, .u32, .i32, .u64, .i64].contains(dtype)
        }
    }
}
