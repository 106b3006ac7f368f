import BPETokenizer
import GGUF
import LlamaLayout
import ModelFiles
import ModelIO
import Quantization

/// `llama3 convert` of Meta's original folder (params.json, consolidated.NN.pth, tokenizer.model;
/// ranks merged by `MetaCheckpoint`) to a llama.cpp-ready GGUF or a Hugging Face checkpoint.
///
/// Meta's q/k rows are already in GGUF's interleaved-pair order, so a GGUF takes them as they are
/// and an HF checkpoint gets them in rotate-half order (`RotaryRowReordering`). There is no
/// tokenizer_config.json to name the end of sequence: it is <|end_of_text|> (what a base model
/// ends with) unless `ConversionOptions.endOfSequence` names another special token (an Instruct
/// model's <|eot_id|>).
extension LlamaConversion {
    static let defaultEndOfSequence = "<|end_of_text|>"

    static func convertMeta(
        _ file: ModelFile, to destination: ConversionDestination, options: ConversionOptions
    ) throws -> ConversionSummary {
        let plan = destination.holdsSafetensors
            ? try planMetaToHuggingFace(file, to: destination, options: options)
            : try planMetaToGGUF(file, options: options)
        return try ConversionPipeline.run(
            plan, to: destination, inputs: ContainerConversion.inputs(of: file), fileType: options.type,
            settings: options.pipelineSettings)
    }

    static func planMetaToGGUF(_ file: ModelFile, options: ConversionOptions) throws -> ConversionPlan {
        let types = options.typePlan
        let mappings = try metaMappings(file, to: .gguf)
        var ggufNames = file.tensors.map(\.name)
        for mapping in mappings { ggufNames[mapping.sourceIndex] = mapping.name }
        let conversions = try self.conversions(
            of: file, types: types, oneDimensional: .f32, ggufNames: ggufNames, model: try? mixShape(file))
        let hyper = try hyperParameters(file)
        let sideFiles = HuggingFaceSideFiles(beside: file)
        var metadata = GGUFMetadata()
        metadata.set("general.architecture", .string("llama"))
        metadata.set("general.name", .string(modelName(sideFiles.folder)))
        hyper.writeGGUFMetadata(into: &metadata)
        types.stamp(&metadata)
        if types.fileType == nil, let weights = file.tensor(named: "tok_embeddings.weight"), let format = ElementFormat(weights.dtype) {
            metadata.set("general.file_type", .uint32(WholeFileType(format).llamaFileType))
        }
        let vocabulary = try metaVocabularyKeys(sideFiles, hyper: hyper, options: options)
        vocabulary.keys.write(into: &metadata)

        var tensors: [PlannedTensor] = []
        if let ropeFrequencies = ropeFrequencyTensor(hyper) { tensors.append(ropeFrequencies) }
        for mapping in mappings {
            let tensor = file.tensors[mapping.sourceIndex]
            let conversion = conversions[mapping.sourceIndex]
            let dtype = try ContainerDTypes.output(tensor, conversion, holdsSafetensors: false)
            // Meta's q/k rows are in GGUF's order already: every tensor goes as its merged pieces.
            tensors.append(PlannedTensor(tensor, name: mapping.name, dtype: dtype, conversion: conversion))
        }
        return ConversionPlan(
            mode: .metaToGGUF, metadata: .gguf(metadata), tensors: tensors, notes: [vocabulary.endOfSequenceNote])
    }

    static func planMetaToHuggingFace(
        _ file: ModelFile, to destination: ConversionDestination, options: ConversionOptions
    ) throws -> ConversionPlan {
        let types = options.typePlan
        let weights = file.tensor(named: "tok_embeddings.weight").flatMap { ElementFormat($0.dtype) }
        let conversions = try self.conversions(of: file, types: types, oneDimensional: weights)
        var dtypes: [ModelDType] = []
        for (tensor, conversion) in zip(file.tensors, conversions) {
            dtypes.append(try ContainerDTypes.output(tensor, conversion, holdsSafetensors: true))
        }
        let mappings = try metaMappings(file, to: .huggingFace)
        let hyper = try hyperParameters(file)
        let tensors = try mappings.map { mapping in
            try plannedTensor(
                mapping, of: file, hyper: hyper, dtype: dtypes[mapping.sourceIndex], conversion: conversions[mapping.sourceIndex],
                direction: .ggufToHuggingFace)
        }
        let sideFiles = HuggingFaceSideFiles(beside: file)
        let vocabulary = try metaVocabularyKeys(sideFiles, hyper: hyper, options: options)
        let config = LlamaConfigJSON.config(
            hyper, bosTokenID: vocabulary.keys.bosTokenID, eosTokenID: vocabulary.keys.eosTokenID,
            torchDType: torchDType(tensors.first?.dtype))
        var tokenizerFiles: [(name: String, bytes: [UInt8])] = []
        if case .checkpoint = destination {
            var keys = GGUFMetadata()
            vocabulary.keys.write(into: &keys)
            tokenizerFiles = try HuggingFaceTokenizerFiles.files(keys, file: vocabulary.source)
        }
        return ConversionPlan(
            mode: .metaToHuggingFace, metadata: .safetensors([("format", "pt")]), tensors: tensors,
            sideFiles: [(HuggingFaceSideFiles.configName, Array((config.serialized(pretty: true) + "\n").utf8))] + tokenizerFiles,
            notes: [vocabulary.endOfSequenceNote])
    }

    /// Each Meta tensor's name in `naming`; a name outside Llama 3's layout is refused.
    static func metaMappings(_ file: ModelFile, to naming: TensorNaming) throws -> [TensorMapping] {
        try file.tensors.enumerated().map { index, tensor in
            guard let parsed = LlamaTensorName.parse(tensor.name, naming: .meta), let name = parsed.name(in: naming) else {
                throw FileError(
                    file: tensor.file,
                    "tensor \(tensor.name) is not part of Llama 3's layout (expected tok_embeddings, layers.N.*, norm, output); use --keep-names for a plain copy")
            }
            return TensorMapping(sourceIndex: index, name: name, role: parsed)
        }
    }

    struct MetaVocabulary {
        var keys: GGUFVocabularyKeys
        /// The vocabulary file, for messages.
        var source: String
        var endOfSequenceNote: String
    }

    /// tokenizer.model beside params.json (else the --vocab chain), bos <|begin_of_text|>, eos
    /// <|end_of_text|> or `options.endOfSequence`; ids the embedding has beyond the vocabulary's
    /// become unused "[PAD<id>]" tokens, as llama.cpp's converter pads them.
    static func metaVocabularyKeys(
        _ sideFiles: HuggingFaceSideFiles, hyper: LlamaHyperParameters, options: ConversionOptions
    ) throws -> MetaVocabulary {
        let source = sideFiles.tokenizerModelPath ?? "the vocabulary (--vocab)"
        let vocabulary = try sideFiles.tokenizerModelPath.map { try VocabularyLoader.load(path: $0, cacheFolder: nil).vocabulary }
            ?? options.fallbackVocabulary()
        guard vocabulary.idCount <= hyper.vocab else {
            throw FileError(
                file: source,
                "the vocabulary has \(vocabulary.idCount) ids but the model's embedding has \(hyper.vocab) rows; expected at most as many ids as rows")
        }
        let endOfSequence = options.endOfSequence ?? defaultEndOfSequence
        guard let eos = vocabulary.specialID(named: endOfSequence) else {
            throw FileError(
                file: source,
                "expected \(endOfSequence) (the end of sequence\(options.endOfSequence == nil ? "" : " --eos names")) among the vocabulary's special tokens")
        }
        var keys = GGUFVocabulary.keys(for: vocabulary, endOfSequence: endOfSequence)
        for id in vocabulary.idCount..<hyper.vocab {
            keys.tokens.append("[PAD\(id)]")
            keys.tokenTypes.append(GGUFVocabularyKeys.TokenType.unused.rawValue)
        }
        let origin = options.endOfSequence == nil ? "no tokenizer_config.json: a base model's" : "--eos"
        return MetaVocabulary(keys: keys, source: source, endOfSequenceNote: "eos \(endOfSequence) (\(eos), \(origin))")
    }
}
