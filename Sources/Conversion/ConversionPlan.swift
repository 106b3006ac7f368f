import GGUF
import ModelFiles
import ModelIO
import Quantization

/// Everything a conversion will write, settled (and every refusal thrown) before the first
/// byte: the destination's metadata, each output tensor, and small files that follow the weights.
/// The planners (`ContainerConversion`, `LlamaConversion`) make one; `ConversionPipeline` writes it.
struct ConversionPlan {
    var mode: ConversionSummary.Mode
    var metadata: DestinationMetadata
    var tensors: [PlannedTensor]
    /// Source metadata keys with no place in the destination format.
    var skippedMetadata: [String] = []
    /// Files written into a checkpoint folder after the weights (config.json).
    var sideFiles: [(name: String, bytes: [UInt8])] = []
    /// What the summary line adds about choices made (which eos a Meta folder got).
    var notes: [String] = []
}

enum DestinationMetadata {
    case gguf(GGUFMetadata)
    case safetensors([(key: String, value: String)])
}

/// One tensor of the output: its name, shape and type there, the source bytes it is made of
/// (views of the memory map, already in output row order; for a tensor merged from
/// model-parallel ranks, computed one at a time), and what is done to them.
struct PlannedTensor {
    let name: String
    let shape: [Int]
    /// The stored type in the destination's terms.
    let dtype: ModelDType
    let pieces: TensorPieces
    let conversion: TensorConversion
    /// The source tensor's name and type, for error messages and the summary.
    let sourceName: String
    let sourceType: String

    var inputBytes: Int { pieces.byteCount }
    var rowLength: Int { shape.last ?? 1 }

    /// A tensor of the source, written whole (or in the given row order) under `name`.
    init(_ tensor: ModelTensor, name: String? = nil, dtype: ModelDType, conversion: TensorConversion, pieces: [ByteSlice]? = nil) {
        self.name = name ?? tensor.name
        shape = tensor.shape
        self.dtype = dtype
        self.pieces = pieces.map { TensorPieces(list: $0) } ?? tensor.pieces
        self.conversion = conversion
        sourceName = tensor.name
        sourceType = tensor.dtype.name
    }

    /// A tensor made by the conversion itself (llama.cpp's rope_freqs), stored as it is given.
    init(made name: String, shape: [Int], type: GGMLType, bytes: [UInt8]) {
        self.name = name
        self.shape = shape
        dtype = .ggml(type)
        let source = ByteSource(bytes: bytes, name: name)
        pieces = TensorPieces(source.whole)
        conversion = .copy
        sourceName = name
        sourceType = type.name
    }
}
