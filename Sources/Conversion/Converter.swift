import BPETokenizer
import GGUF
import ModelFiles
import ModelIO

/// How a conversion is done: the whole-file type, whether to keep names (the plain copy even for
/// a Llama model), the shard size of a folder, threads, the vocabulary for a checkpoint without
/// tokenizer.json, and where progress goes.
public struct ConversionOptions {
    public var type: WholeFileType?
    /// With a type: every tensor of two or more dimensions gets it (llama-quantize's `--pure`)
    /// instead of llama-quantize's mix.
    public var pure: Bool
    /// Requantize tensors that are already quantized (through f32) instead of refusing them.
    public var allowRequantize: Bool
    public var keepNames: Bool
    public var maximumShardBytes: Int
    /// Write a .gguf destination in parts (gguf-split's convention) under these limits.
    public var split: GGUFSplitLimits?
    public var threads: Int
    /// The vocabulary for an HF checkpoint without tokenizer.json (the CLI's --vocab chain).
    public var fallbackVocabulary: () throws -> Vocabulary
    /// Input bytes done and in all.
    public var progress: (Int, Int) -> Void
    /// The special token a Meta folder's GGUF or HF folder names as eos (--eos), instead of
    /// <|end_of_text|>.
    public var endOfSequence: String?
    /// Told of each tensor when it is written, with its number (from 1) and the tensor count;
    /// what it throws stops the conversion (nothing is left at the destination).
    public var tensorWritten: TensorReport?

    public typealias TensorReport = (_ tensor: ConversionSummary.Tensor, _ number: Int, _ count: Int) throws -> Void

    public init(
        type: WholeFileType? = nil, pure: Bool = false, allowRequantize: Bool = false, keepNames: Bool = false,
        maximumShardBytes: Int = ContainerConversion.defaultMaximumShardBytes, split: GGUFSplitLimits? = nil,
        threads: Int = 1,
        fallbackVocabulary: @escaping () throws -> Vocabulary = ConversionOptions.noVocabulary,
        progress: @escaping (Int, Int) -> Void = { _, _ in }, tensorWritten: TensorReport? = nil,
        endOfSequence: String? = nil
    ) {
        self.endOfSequence = endOfSequence
        self.type = type
        self.pure = pure
        self.allowRequantize = allowRequantize
        self.keepNames = keepNames
        self.maximumShardBytes = maximumShardBytes
        self.split = split
        self.threads = threads
        self.fallbackVocabulary = fallbackVocabulary
        self.progress = progress
        self.tensorWritten = tensorWritten
    }

    public static func noVocabulary() throws -> Vocabulary {
        throw ToolError("the checkpoint has no tokenizer.json; pass the model's vocabulary with --vocab")
    }

    var typePlan: TypePlan { TypePlan(type, pure: pure, allowRequantize: allowRequantize) }

    var pipelineSettings: ConversionPipeline.Settings {
        ConversionPipeline.Settings(
            maximumShardBytes: maximumShardBytes, split: split, threads: threads, progress: progress, tensorWritten: tensorWritten)
    }
}

/// `llama3 convert` and `llama3 quantize`: one entry that picks the mode, plans, and writes.
public enum Converter {
    /// The Llama-aware conversion when the file is a Llama model in one format's names going to
    /// the other format (unless `keepNames`), else the plain container copy.
    @discardableResult
    public static func convert(
        _ file: ModelFile, to destination: ConversionDestination, options: ConversionOptions = ConversionOptions()
    ) throws -> ConversionSummary {
        if options.split != nil, destination.holdsSafetensors {
            throw ToolError("--split-max-size and --split-max-tensors apply to a .gguf destination, not \(destination.path)")
        }
        let direction = options.keepNames ? nil : try LlamaConversion.direction(for: file, to: destination)
        if options.endOfSequence != nil, direction != .metaToGGUF, direction != .metaToHuggingFace {
            throw ToolError("--eos applies to Meta's original checkpoint folder (params.json, consolidated.NN.pth), not to \(file.format.article)")
        }
        let summary = switch direction {
        case .huggingFaceToGGUF?: try LlamaConversion.convertToGGUF(file, destination: destination.path, options: options)
        case .ggufToHuggingFace?: try LlamaConversion.convertToHuggingFace(file, to: destination, options: options)
        case .metaToGGUF?, .metaToHuggingFace?: try LlamaConversion.convertMeta(file, to: destination, options: options)
        case nil: try ContainerConversion.convert(file, to: destination, options: options)
        }
        return summary.completed(source: file.path)
    }

    /// `llama3 quantize`: convert with a block type, GGUF to GGUF. Metadata is copied, with
    /// `general.file_type` and `general.quantization_version` set; tensors keep their order.
    @discardableResult
    public static func quantize(source: String, destination: String, options: ConversionOptions) throws -> ConversionSummary {
        guard let type = options.type, type.isQuantized else {
            throw FileError(file: destination, "expected a quantized type (q4_k_m, q8_0, ...), found \(options.type?.description ?? "none")")
        }
        let file = try ModelFile(path: source)
        guard file.container.ggufHeader != nil else {
            throw FileError(file: source, "expected a GGUF to quantize, found \(file.format.article); use `llama3 convert --type` for it")
        }
        var quantizing = options
        quantizing.keepNames = true
        return try ContainerConversion.convert(file, to: .gguf(destination), options: quantizing).completed(source: source)
    }
}
