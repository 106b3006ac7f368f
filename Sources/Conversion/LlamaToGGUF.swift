import BPETokenizer
import Glibc
import GGUF
import LlamaLayout
import ModelFiles
import ModelIO
import Quantization

extension LlamaConversion {
    /// HF Llama checkpoint -> llama.cpp-ready GGUF.
    ///
    /// The vocabulary is the folder's tokenizer.json when there is one, else
    /// `options.fallbackVocabulary` (the CLI's --vocab / $LLAMA3_VOCAB / default). bos/eos come from
    /// generation_config.json, then config.json, then <|begin_of_text|> / <|end_of_text|>.
    @discardableResult
    public static func convertToGGUF(
        _ file: ModelFile, destination: String, options: ConversionOptions = ConversionOptions()
    ) throws -> ConversionSummary {
        let plan = try planToGGUF(file, types: options.typePlan, fallbackVocabulary: options.fallbackVocabulary)
        return try ConversionPipeline.run(
            plan, to: .gguf(destination), inputs: ContainerConversion.inputs(of: file), fileType: options.type,
            settings: options.pipelineSettings)
    }

    static func planToGGUF(
        _ file: ModelFile, types: TypePlan, fallbackVocabulary: () throws -> Vocabulary
    ) throws -> ConversionPlan {
        // The type rule first: a refused --type is what the user hears before layout problems.
        let conversions = try self.conversions(
            of: file, types: types, oneDimensional: .f32, ggufNames: try? mixNames(file), model: try? mixShape(file))
        let sideFiles = HuggingFaceSideFiles(beside: file)
        _ = try sideFiles.requiredConfig()
        let hyper = try hyperParameters(file)
        let mappings = try ggufMappings(file)
        let metadata = try ggufMetadata(
            file, sideFiles: sideFiles, hyper: hyper, types: types, fallbackVocabulary: fallbackVocabulary)
        var tensors: [PlannedTensor] = []
        if let ropeFrequencies = ropeFrequencyTensor(hyper) { tensors.append(ropeFrequencies) }
        for mapping in mappings {
            let conversion = conversions[mapping.sourceIndex]
            let dtype = try ContainerDTypes.output(file.tensors[mapping.sourceIndex], conversion, holdsSafetensors: false)
            tensors.append(try plannedTensor(
                mapping, of: file, hyper: hyper, dtype: dtype, conversion: conversion, direction: .huggingFaceToGGUF))
        }
        return ConversionPlan(mode: .llamaToGGUF, metadata: .gguf(metadata), tensors: tensors)
    }

    /// general.*, llama.* and tokenizer.* keys, in llama.cpp's order.
    static func ggufMetadata(
        _ file: ModelFile, sideFiles: HuggingFaceSideFiles, hyper: LlamaHyperParameters, types: TypePlan,
        fallbackVocabulary: () throws -> Vocabulary
    ) throws -> GGUFMetadata {
        var metadata = GGUFMetadata()
        metadata.set("general.architecture", .string("llama"))
        metadata.set("general.name", .string(modelName(sideFiles.folder)))
        hyper.writeGGUFMetadata(into: &metadata)
        types.stamp(&metadata)
        if types.fileType == nil, let weights = file.tensors.first(where: { $0.name == "model.embed_tokens.weight" }),
            let format = ElementFormat(weights.dtype) {
            // What llama.cpp's converter records for an unquantized file: the weights' type.
            metadata.set("general.file_type", .uint32(WholeFileType(format).llamaFileType))
        }
        try vocabularyKeys(sideFiles, hyper: hyper, fallback: fallbackVocabulary).write(into: &metadata)
        return metadata
    }

    /// general.name: the folder's own name, as llama.cpp's converter falls back to.
    static func modelName(_ folder: String) -> String {
        let name = PathText.lastComponent(PathText.lexicallyNormalized(folder))
        return name.isEmpty || name == "." ? "llama" : name
    }

    /// GGUF names for every HF tensor; transformers' rotary buffers are dropped, any other name
    /// outside the Llama layout is refused (llama.cpp would not load it).
    /// Each source tensor's name in the GGUF (its own when it has none), which the type plan's
    /// mix reads.
    static func mixNames(_ file: ModelFile) throws -> [String] {
        var names = file.tensors.map(\.name)
        for mapping in try ggufMappings(file) { names[mapping.sourceIndex] = mapping.name }
        return names
    }

    static func mixShape(_ file: ModelFile) throws -> TypePlan.ModelShape {
        let hyper = try hyperParameters(file)
        return TypePlan.ModelShape(layers: hyper.layers, heads: hyper.heads, kvHeads: hyper.kvHeads)
    }

    static func ggufMappings(_ file: ModelFile) throws -> [TensorMapping] {
        var mappings: [TensorMapping] = []
        for (index, tensor) in file.tensors.enumerated() {
            if TensorNameMap.isKnownHuggingFaceBuffer(tensor.name) { continue }
            guard let parsed = LlamaTensorName.parse(tensor.name, naming: .huggingFace), let name = parsed.name(in: .gguf) else {
                throw FileError(
                    file: tensor.file,
                    "tensor \(tensor.name) is not part of the Llama layout (expected model.embed_tokens, model.layers.N.*, model.norm, lm_head); use --keep-names for a plain copy")
            }
            mappings.append(TensorMapping(sourceIndex: index, name: name, role: parsed))
        }
        return mappings
    }

    /// The rope_freqs.weight tensor a GGUF carries for Llama 3.1-style scaling, else nil.
    static func ropeFrequencyTensor(_ hyper: LlamaHyperParameters) -> PlannedTensor? {
        guard let bytes = ropeFrequencyBytes(hyper) else { return nil }
        return PlannedTensor(
            made: LlamaTensorName.ropeFrequencies.name(in: .gguf) ?? "rope_freqs.weight",
            shape: [bytes.count / 4], type: .f32, bytes: bytes)
    }

    /// llama.cpp's rope_freqs.weight (F32, little-endian) for Llama 3.1-style scaling, else nil.
    static func ropeFrequencyBytes(_ hyper: LlamaHyperParameters) -> [UInt8]? {
        guard let scaling = hyper.ropeScaling else { return nil }
        let factors = scaling.frequencyFactors(headDim: hyper.headDim, theta: hyper.ropeTheta ?? 500_000)
        return factors.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }

    /// tokenizer.ggml.* for the model: ids beyond the vocabulary's (an embedding padded to a
    /// round size) become unused "[PAD<id>]" tokens, as llama.cpp's converter pads them.
    static func vocabularyKeys(
        _ folder: HuggingFaceSideFiles, hyper: LlamaHyperParameters, fallback: () throws -> Vocabulary
    ) throws -> GGUFVocabularyKeys {
        let vocabulary = try folder.tokenizerJSONPath.map { try VocabularyLoader.load(path: $0, cacheFolder: nil).vocabulary }
            ?? fallback()
        guard vocabulary.idCount <= hyper.vocab else {
            throw FileError(
                file: folder.tokenizerJSONPath ?? "the vocabulary (--vocab)",
                "the vocabulary has \(vocabulary.idCount) ids but the model's embedding has \(hyper.vocab) rows; expected at most as many ids as rows (pass the model's own vocabulary with --vocab)")
        }
        var keys = GGUFVocabulary.keys(for: vocabulary, chatTemplate: try folder.chatTemplate())
        for id in vocabulary.idCount..<hyper.vocab {
            keys.tokens.append("[PAD\(id)]")
            keys.tokenTypes.append(GGUFVocabularyKeys.TokenType.unused.rawValue)
        }
        for kind in ["bos", "eos"] {
            guard let id = try folder.specialTokenID(kind, idOfName: vocabulary.specialID(named:)) else { continue }
            guard id >= 0, id < hyper.vocab else {
                throw FileError(file: folder.path(HuggingFaceSideFiles.configName), "\(kind)_token_id \(id) is outside the vocabulary of \(hyper.vocab) ids")
            }
            if kind == "bos" { keys.bosTokenID = id } else { keys.eosTokenID = id }
        }
        return keys
    }
}
