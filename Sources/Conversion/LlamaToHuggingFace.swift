import GGUF
import LlamaLayout
import ModelFiles
import ModelIO
import Quantization
import Safetensors

extension LlamaConversion {
    /// GGUF (llama) -> HF: transformers' names, q/k rows back in rotate-half order, rope_freqs
    /// dropped (config.json's rope_scaling says the same). A folder destination also gets a
    /// config.json, written after the weights; a single .safetensors file gets the weights only.
    /// Tensors map one to one, except rope_freqs.
    @discardableResult
    public static func convertToHuggingFace(
        _ file: ModelFile, to destination: ConversionDestination, options: ConversionOptions = ConversionOptions()
    ) throws -> ConversionSummary {
        let plan = try planToHuggingFace(file, to: destination, types: options.typePlan)
        return try ConversionPipeline.run(
            plan, to: destination, inputs: ContainerConversion.inputs(of: file), fileType: options.type,
            settings: options.pipelineSettings)
    }

    static func planToHuggingFace(_ file: ModelFile, to destination: ConversionDestination, types: TypePlan) throws -> ConversionPlan {
        guard let gguf = file.container.ggufHeader else {
            throw FileError(file: file.path, "expected a GGUF file to convert to Hugging Face names")
        }
        guard destination.holdsSafetensors else {
            throw FileError(file: destination.path, "expected a .safetensors file or a folder as the destination of a GGUF -> Hugging Face conversion")
        }
        let weights = file.tensor(named: "token_embd.weight").flatMap { ElementFormat($0.dtype) }
        let oneDimensional = weights.flatMap { $0.isQuantized ? nil : $0 }
        let conversions = try self.conversions(of: file, types: types, oneDimensional: oneDimensional)
        // Types first, so a type safetensors cannot hold is what a `--type q8_0` user hears.
        var dtypes: [ModelDType?] = []
        for (tensor, conversion) in zip(file.tensors, conversions) {
            let isRopeFrequencies = tensor.name == LlamaTensorName.ropeFrequencies.name(in: .gguf)
            dtypes.append(isRopeFrequencies ? nil : try ContainerDTypes.output(tensor, conversion, holdsSafetensors: true))
        }
        let mappings = try huggingFaceMappings(file)
        // Settled after the types, so a type safetensors cannot hold is reported first.
        let hyper = try hyperParameters(file)
        let tensors = try mappings.compactMap { mapping -> PlannedTensor? in
            guard let dtype = dtypes[mapping.sourceIndex] else { return nil }
            return try plannedTensor(
                mapping, of: file, hyper: hyper, dtype: dtype, conversion: conversions[mapping.sourceIndex],
                direction: .ggufToHuggingFace)
        }
        let config = LlamaConfigJSON.config(
            hyper, bosTokenID: gguf.metadata["tokenizer.ggml.bos_token_id"]?.integer,
            eosTokenID: gguf.metadata["tokenizer.ggml.eos_token_id"]?.integer,
            torchDType: torchDType(tensors.first?.dtype))
        // Side files go into a folder only; a single .safetensors file has no place for them.
        var tokenizerFiles: [(name: String, bytes: [UInt8])] = []
        if case .checkpoint = destination { tokenizerFiles = try HuggingFaceTokenizerFiles.files(gguf.metadata, file: file.path) }
        return ConversionPlan(
            mode: .llamaToHuggingFace, metadata: .safetensors([("format", "pt")]), tensors: tensors,
            sideFiles: [(HuggingFaceSideFiles.configName, Array((config.serialized(pretty: true) + "\n").utf8))]
                + tokenizerFiles)
    }

    /// HF names for every GGUF tensor but rope_freqs; names outside the Llama layout are refused.
    static func huggingFaceMappings(_ file: ModelFile) throws -> [TensorMapping] {
        var mappings: [TensorMapping] = []
        for (index, tensor) in file.tensors.enumerated() {
            let parsed = LlamaTensorName.parse(tensor.name, naming: .gguf)
            if parsed == .ropeFrequencies { continue }
            guard let parsed, let name = parsed.name(in: .huggingFace) else {
                throw FileError(
                    file: tensor.file,
                    "tensor \(tensor.name) is not part of the Llama layout (expected token_embd, blk.N.*, output_norm, output); use --keep-names for a plain copy")
            }
            mappings.append(TensorMapping(sourceIndex: index, name: name, role: parsed))
        }
        return mappings
    }

    /// config.json's torch_dtype for the dtype the tensors were written in.
    static func torchDType(_ dtype: ModelDType?) -> String {
        switch dtype {
        case .safetensors(.bf16)?: "bfloat16"
        case .safetensors(.f16)?: "float16"
        default: "float32"
        }
    }
}
