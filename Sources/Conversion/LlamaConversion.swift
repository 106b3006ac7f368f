import GGUF
import LlamaLayout
import ModelFiles
import ModelIO
import Quantization

/// `llama3 convert` between a Hugging Face Llama checkpoint and a llama.cpp-ready GGUF: tensor
/// names, the rotary row order of q_proj/k_proj, the `llama.*` keys, vocabulary and rope
/// frequencies. Chosen automatically (`direction(for:to:)`); `--keep-names` asks for the plain
/// container copy of `ContainerConversion` instead.
public enum LlamaConversion {
    public enum Direction: Sendable, Equatable {
        /// An HF folder (or .safetensors beside a config.json declaring llama) to a .gguf.
        case huggingFaceToGGUF
        /// A GGUF with general.architecture "llama" to a .safetensors file or a folder.
        case ggufToHuggingFace
        /// Meta's original folder (params.json, consolidated.NN.pth) to a .gguf.
        case metaToGGUF
        /// Meta's original folder to a .safetensors file or a folder.
        case metaToHuggingFace
    }

    /// The Llama-aware conversion `file` -> `destination` calls for, or nil for a plain copy:
    /// the source must use the Llama names of its format and say it is a Llama model.
    public static func direction(for file: ModelFile, to destination: ConversionDestination) throws -> Direction? {
        switch (file.container, destination) {
        case (.gguf, .safetensors), (.gguf, .checkpoint), (.splitGGUF, .safetensors), (.splitGGUF, .checkpoint):
            guard file.container.ggufHeader?.metadata["general.architecture"]?.string == "llama", hasLayers(file, naming: .gguf) else { return nil }
            return .ggufToHuggingFace
        case (.safetensors, .gguf), (.checkpoint, .gguf):
            let sideFiles = HuggingFaceSideFiles(beside: file)
            try refuseOtherArchitecture(sideFiles)
            guard hasLayers(file, naming: .huggingFace), try declaresLlama(sideFiles) else { return nil }
            return .huggingFaceToGGUF
        case (.metaCheckpoint, .gguf):
            return .metaToGGUF
        case (.metaCheckpoint, .safetensors), (.metaCheckpoint, .checkpoint):
            return .metaToHuggingFace
        default:
            return nil
        }
    }

    /// config.json says llama: transformers writes `model_type: "llama"`; older configs only name
    /// the class. No config.json is no Llama; one that is not JSON is an error.
    static func declaresLlama(_ sideFiles: HuggingFaceSideFiles) throws -> Bool {
        guard let config = try sideFiles.config?.get() else { return false }
        return config["model_type"]?.stringValue == "llama"
            || config["architectures"]?.arrayValue?.contains(.string("LlamaForCausalLM")) == true
    }

    /// A config.json that names another model (Mistral, Qwen2, GPT-2, ...) would otherwise become a
    /// plain copy that calls itself a GGUF model but that llama.cpp cannot load: refused by name
    /// (`--keep-names` asks for that copy, and never gets here).
    static func refuseOtherArchitecture(_ sideFiles: HuggingFaceSideFiles) throws {
        guard let config = try sideFiles.config?.get(), try !declaresLlama(sideFiles) else { return }
        let architectures = config["architectures"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let modelType = config["model_type"]?.stringValue
        guard !architectures.isEmpty || modelType != nil else { return }
        let named = architectures.isEmpty ? "model_type \"\(modelType!)\"" : architectures.joined(separator: ", ")
        throw FileError(
            file: sideFiles.path(HuggingFaceSideFiles.configName),
            "names the architecture \(named); only Llama checkpoints (LlamaForCausalLM) convert to a llama.cpp GGUF "
                + "(--keep-names copies the tensors as they are, into a GGUF llama.cpp cannot run)")
    }

    static func hasLayers(_ file: ModelFile, naming: TensorNaming) -> Bool {
        file.tensors.contains { LlamaTensorName.parse($0.name, naming: naming)?.layerIndex != nil }
    }

    /// The hyper-parameters `inspect` settles for `file`; any layout problem stops the conversion,
    /// since llama.cpp would refuse (or silently misread) the result.
    static func hyperParameters(_ file: ModelFile) throws -> LlamaHyperParameters {
        try LlamaInspectAnalysis.consistentModel(
            in: file, expected: "a consistent Llama layout to convert", unsettled: "the hyper-parameters could not be settled",
            advice: "; --keep-names copies the file as it is"
        ).hyperParameters
    }

    /// How one source tensor is written: under which name, and as which part of the layout
    /// (which says whether its rows are reordered for rotary embedding).
    struct TensorMapping {
        let sourceIndex: Int
        let name: String
        let role: LlamaTensorName
    }

    /// The heads a projection's rows are grouped by: queries by the query heads, keys by the KV
    /// heads (the GQA case llama.cpp #2376 got wrong), nothing else is reordered.
    static func rotaryHeads(_ tensor: LlamaTensorName, _ hyper: LlamaHyperParameters) -> Int? {
        switch tensor {
        case .layer(_, .query): hyper.heads
        case .layer(_, .key): hyper.kvHeads
        default: nil
        }
    }

    /// What is done to each source tensor: with --type, the type plan's rule; without it, every
    /// tensor is copied except 1-D float ones, which become `oneDimensional` (F32 in a GGUF, as
    /// llama.cpp's converter stores norms: its CPU kernels refuse to multiply F32 activations by a
    /// BF16 norm; the weights' dtype in an HF checkpoint, which keeps one dtype throughout).
    static func conversions(
        of file: ModelFile, types: TypePlan, oneDimensional: ElementFormat?, ggufNames: [String]? = nil,
        model: TypePlan.ModelShape? = nil
    ) throws -> [TensorConversion] {
        if types.fileType != nil { return try types.conversions(of: file, ggufNames: ggufNames, model: model) }
        return file.tensors.map { tensor in
            guard TypePlan.significantDimensions(tensor.shape) == 1, let oneDimensional,
                let source = ElementFormat(tensor.dtype), !source.isQuantized, source != oneDimensional
            else { return .copy }
            return .convert(from: source, to: oneDimensional)
        }
    }

    /// The output tensor for `mapping`: rows reordered for q/k, each copied or converted.
    static func plannedTensor(
        _ mapping: TensorMapping, of file: ModelFile, hyper: LlamaHyperParameters, dtype: ModelDType,
        conversion: TensorConversion, direction: RotaryRowReordering.Direction
    ) throws -> PlannedTensor {
        let tensor = file.tensors[mapping.sourceIndex]
        // A reordered row is its own piece: a quantizer's error then names its true byte offset.
        let rows = try rotaryHeads(mapping.role, hyper).map {
            try RotaryRowReordering.rows(of: tensor, heads: $0, headDim: hyper.headDim, direction)
        }
        return PlannedTensor(tensor, name: mapping.name, dtype: dtype, conversion: conversion, pieces: rows)
    }
}
