import GGUF
import LlamaLayout
import ModelIO
import Quantization
import Safetensors

/// `convert --type`: the type each tensor of a file is written in, and the writing of its data,
/// for `ContainerConversion`. Without a target type every tensor is copied (name, dtype, bits).
public struct TypeConversionPlan: Sendable {
    public let target: ElementFormat?
    /// One per tensor of the file, in file order.
    public let conversions: [TensorConversion]
    let threads: Int

    /// The plan that changes nothing.
    public static func copying(_ file: ModelFile) -> TypeConversionPlan {
        TypeConversionPlan(target: nil, conversions: file.tensors.map { _ in .copy }, threads: 1)
    }

    /// The same rule as `llama3 quantize`: 2+-dim float tensors get `target`, 1-D float ones F32.
    public init(file: ModelFile, target: ElementFormat?, threads: Int) throws {
        guard let target else {
            self = .copying(file)
            return
        }
        let rule = TypeConversionRule(target: target)
        conversions = try file.tensors.map { tensor in
            try rule.conversion(
                name: tensor.name, source: ElementFormat(tensor.dtype), typeName: tensor.dtype.name,
                isInteger: Self.isInteger(tensor.dtype), shape: tensor.shape, file: tensor.file)
        }
        self.target = target
        self.threads = threads
    }

    private init(target: ElementFormat?, conversions: [TensorConversion], threads: Int) {
        self.target = target
        self.conversions = conversions
        self.threads = threads
    }

    static func isInteger(_ dtype: ModelDType) -> Bool {
        switch dtype {
        case .ggml(let type): type.isInteger
        case .safetensors(let dtype): [.bool, .u8, .i8, .u16, .i16, .u32, .i32, .u64, .i64].contains(dtype)
        }
    }

    /// The GGUF type of tensor `index`: its own unless converted.
    func ggmlType(_ index: Int, _ tensor: ModelTensor) throws -> GGMLType {
        guard let format = conversions[index].target else { return try ContainerDTypes.ggml(for: tensor) }
        return format.ggmlType
    }

    /// The safetensors dtype of tensor `index`; the block types have none.
    func safetensorsDType(_ index: Int, _ tensor: ModelTensor) throws -> SafetensorsDType {
        guard let format = conversions[index].target else { return try ContainerDTypes.safetensors(for: tensor) }
        return try Self.safetensorsDType(format, tensor)
    }

    /// The safetensors dtype that holds `format`; a block format is an error naming the tensor.
    static func safetensorsDType(_ format: ElementFormat, _ tensor: ModelTensor) throws -> SafetensorsDType {
        switch format {
        case .f32: return .f32
        case .f16: return .f16
        case .bf16: return .bf16
        case .q8_0, .q4_0, .q4_1:
            throw FileError(
                file: tensor.file,
                "tensor \(tensor.name): safetensors has no \(format.description.uppercased()) dtype; write a .gguf to quantize, or pass --type f32, f16 or bf16")
        }
    }

    /// `general.file_type` (and, for block types, `general.quantization_version`) of a GGUF whose
    /// big tensors were converted to the target.
    func stamp(_ metadata: inout GGUFMetadata) {
        guard let target else { return }
        metadata.set("general.file_type", .uint32(TypeConversionRule.llamaFileType(target)))
        if target.isQuantized {
            metadata.set("general.quantization_version", .uint32(QuantizePipeline.quantizationVersion))
        }
    }

    /// Takes bytes of the tensor being written (a writer's sink).
    typealias ByteSink = (UnsafeRawBufferPointer) throws -> Void
    /// Sends one tensor's output bytes, copied or converted in chunks, to the sink it is handed.
    typealias TensorFeed = (ByteSink) throws -> Void

    /// Calls `writeTensor` once per tensor, in file order, with that tensor's feed.
    func writeData(_ file: ModelFile, _ writeTensor: (TensorFeed) throws -> Void) throws {
        var advised = Set<ObjectIdentifier>()
        for (index, tensor) in file.tensors.enumerated() {
            if advised.insert(ObjectIdentifier(tensor.data.source)).inserted { tensor.data.source.adviseSequential() }
            switch conversions[index] {
            case .copy:
                try writeTensor { sink in try tensor.data.withUnsafeBytes { try sink($0) } }
            case .convert(let from, let to):
                try writeTensor { sink in
                    try TensorStreamConversion.write(
                        tensor.data, tensor: tensor.name, rowLength: tensor.shape.last ?? 1, file: tensor.file,
                        from: from, to: to, threads: threads, sink: { bytes in try bytes.withUnsafeBytes { try sink($0) } },
                        progress: { _ in })
                }
            }
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
