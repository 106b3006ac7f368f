import BPETokenizer
import GGUF
import LlamaLayout
import ModelIO
import Quantization

extension LlamaConversion {
    /// HF Llama checkpoint -> llama.cpp-ready GGUF, one tensor at a time through `GGUFWriter`.
    ///
    /// The vocabulary is the folder's tokenizer.json when there is one, else `fallbackVocabulary()`
    /// (the CLI's --vocab / $LLAMA3_VOCAB / default). bos/eos come from generation_config.json,
    /// then config.json, then <|begin_of_text|> / <|end_of_text|>.
    @discardableResult
    public static func convertToGGUF(
        _ file: ModelFile, destination: String, types: TypeConversionPlan? = nil,
        fallbackVocabulary: () throws -> Vocabulary
    ) throws -> ContainerConversion.Summary {
        let plan = types ?? .copying(file)
        let folderPath = LlamaCheckpointFolder.folder(of: file)
        guard let folder = try LlamaCheckpointFolder(folder: folderPath) else {
            throw FileError(file: folderPath + "/config.json", "expected the checkpoint's config.json beside the weights")
        }
        let hyper = try hyperParameters(file)
        let mappings = try ggufMappings(file)
        let ropeFrequencies = ropeFrequencyBytes(hyper)

        let metadata = try ggufMetadata(file, folder: folder, hyper: hyper, plan: plan, fallbackVocabulary: fallbackVocabulary)
        let conversions = mappings.map { conversion($0.sourceIndex, of: file, plan: plan, oneDimensional: .f32) }
        var header = GGUFHeader(for: destination, metadata: metadata)
        if let ropeFrequencies {
            try header.addTensor(name: "rope_freqs.weight", type: .f32, shape: [ropeFrequencies.count / 4])
        }
        for (mapping, conversion) in zip(mappings, conversions) {
            let tensor = file.tensors[mapping.sourceIndex]
            let type = try conversion.target?.ggmlType ?? ContainerDTypes.ggml(for: tensor)
            try header.addTensor(name: mapping.name, type: type, shape: tensor.shape)
        }
        let writer = try GGUFWriter.begin(destination: destination, header: header, inputs: ContainerConversion.inputs(of: file))
        if let ropeFrequencies { try writer.writeTensor(ropeFrequencies) }
        for (mapping, conversion) in zip(mappings, conversions) {
            try writer.writeTensor { sink in
                try writeTensor(
                    mapping, of: file, hyper: hyper, conversion: conversion, threads: plan.threads,
                    direction: .huggingFaceToGGUF, sink: sink.write)
            }
        }
        try writer.finish()
        let bytes = mappings.reduce(ropeFrequencies?.count ?? 0) { $0 + file.tensors[$1.sourceIndex].byteCount }
        return ContainerConversion.Summary(
            tensors: mappings.count + (ropeFrequencies == nil ? 0 : 1), bytes: bytes, skippedMetadata: [])
    }

    /// general.*, llama.* and tokenizer.* keys, in llama.cpp's order.
    static func ggufMetadata(
        _ file: ModelFile, folder: LlamaCheckpointFolder, hyper: LlamaHyperParameters, plan: TypeConversionPlan,
        fallbackVocabulary: () throws -> Vocabulary
    ) throws -> GGUFMetadata {
        var metadata = GGUFMetadata()
        metadata.set("general.architecture", .string("llama"))
        metadata.set("general.name", .string(folder.modelName))
        hyper.writeGGUFMetadata(into: &metadata)
        plan.stamp(&metadata)
        if plan.target == nil, let weights = file.tensors.first(where: { $0.name == "model.embed_tokens.weight" }),
            let format = ElementFormat(weights.dtype) {
            // What llama.cpp's converter records for an unquantized file: the weights' type.
            metadata.set("general.file_type", .uint32(TypeConversionRule.llamaFileType(format)))
        }
        try vocabularyKeys(folder, hyper: hyper, fallback: fallbackVocabulary).write(into: &metadata)
        return metadata
    }

    /// GGUF names for every HF tensor; transformers' rotary buffers are dropped, any other name
    /// outside the Llama layout is refused (llama.cpp would not load it).
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

    /// llama.cpp's rope_freqs.weight (F32, little-endian) for Llama 3.1-style scaling, else nil.
    static func ropeFrequencyBytes(_ hyper: LlamaHyperParameters) -> [UInt8]? {
        guard let scaling = hyper.ropeScaling else { return nil }
        let factors = scaling.frequencyFactors(headDim: hyper.headDim, theta: hyper.ropeTheta ?? 500_000)
        return factors.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }

    /// tokenizer.ggml.* for the model: ids beyond the vocabulary's (an embedding padded to a
    /// round size) become unused "[PAD<id>]" tokens, as llama.cpp's converter pads them.
    static func vocabularyKeys(
        _ folder: LlamaCheckpointFolder, hyper: LlamaHyperParameters, fallback: () throws -> Vocabulary
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
        for (key, id) in [("bos_token_id", folder.specialTokenID("bos_token_id")), ("eos_token_id", folder.specialTokenID("eos_token_id"))] {
            guard let id else { continue }
            guard id >= 0, id < hyper.vocab else {
                throw FileError(file: folder.path + "/config.json", "\(key) \(id) is outside the vocabulary of \(hyper.vocab) ids")
            }
            if key == "bos_token_id" { keys.bosTokenID = id } else { keys.eosTokenID = id }
        }
        return keys
    }
}
