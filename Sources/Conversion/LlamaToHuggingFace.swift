import GGUF
import LlamaLayout
import ModelIO
import Quantization
import Safetensors

extension LlamaConversion {
    /// GGUF (llama) -> HF: transformers' names, q/k rows back in rotate-half order, rope_freqs
    /// dropped (config.json's rope_scaling says the same). A folder destination also gets a
    /// config.json, written after the weights; a single .safetensors file gets the weights only.
    @discardableResult
    public static func convertToHuggingFace(
        _ file: ModelFile, to destination: ContainerConversion.Destination,
        maximumShardBytes: Int = ContainerConversion.defaultMaximumShardBytes, types: TypeConversionPlan? = nil
    ) throws -> ContainerConversion.Summary {
        guard case .gguf(let gguf) = file.container else {
            throw FileError(file: file.path, "expected a GGUF file to convert to Hugging Face names")
        }
        let plan = types ?? .copying(file)
        let weights = file.tensor(named: "token_embd.weight").flatMap { ElementFormat($0.dtype) }
        let oneDimensional = weights.flatMap { $0.isQuantized ? nil : $0 }
        let conversions = file.tensors.indices.map { conversion($0, of: file, plan: plan, oneDimensional: oneDimensional) }
        // Types first, so a type safetensors cannot hold is what a `--type q8_0` user hears.
        var dtypes: [SafetensorsDType?] = []
        for (index, tensor) in file.tensors.enumerated() {
            if tensor.name == LlamaTensorName.ropeFrequencies.name(in: .gguf) {
                dtypes.append(nil)
            } else if plan.target != nil {
                dtypes.append(try plan.safetensorsDType(index, tensor))
            } else {
                dtypes.append(try conversions[index].target.map { try TypeConversionPlan.safetensorsDType($0, tensor) } ?? ContainerDTypes.safetensors(for: tensor))
            }
        }
        let mappings = try huggingFaceMappings(file)
        var header = SafetensorsHeader(for: destination.path, metadata: [("format", "pt")])
        for mapping in mappings {
            guard let dtype = dtypes[mapping.sourceIndex] else { continue }
            try header.addTensor(name: mapping.name, dtype: dtype, shape: file.tensors[mapping.sourceIndex].shape)
        }
        // Settled after the types, so a type safetensors cannot hold is reported first.
        let hyper = try hyperParameters(file)
        let write = { (writeTensor: ((TypeConversionPlan.ByteSink) throws -> Void) throws -> Void) in
            for mapping in mappings {
                try writeTensor { sink in
                    try Self.writeTensor(
                        mapping, of: file, hyper: hyper, conversion: conversions[mapping.sourceIndex], threads: plan.threads,
                        direction: .ggufToHuggingFace, sink: sink)
                }
            }
        }
        let inputs = ContainerConversion.inputs(of: file)
        switch destination {
        case .safetensors(let path):
            let writer = try SafetensorsWriter.begin(destination: path, header: header, inputs: inputs)
            try write { feed in try writer.writeTensor { sink in try feed(sink.write) } }
            try writer.finish()
        case .checkpoint(let folder):
            let writer = try SafetensorsCheckpointWriter.begin(
                folder: folder, header: header, maximumShardBytes: maximumShardBytes, inputs: inputs)
            try write { feed in try writer.writeTensor { sink in try feed(sink.write) } }
            try writer.finish()
            let config = LlamaConfigJSON.config(
                hyper, bosTokenID: gguf.metadata["tokenizer.ggml.bos_token_id"]?.integer,
                eosTokenID: gguf.metadata["tokenizer.ggml.eos_token_id"]?.integer,
                torchDType: torchDType(mappings.first.flatMap { dtypes[$0.sourceIndex] }))
            let output = try AtomicFileWriter(destination: folder + "/config.json", inputs: inputs)
            try output.write(Array((config.serialized(pretty: true) + "\n").utf8))
            try output.commit()
        case .gguf(let path):
            throw FileError(file: path, "expected a .safetensors file or a folder as the destination of a GGUF -> Hugging Face conversion")
        }
        let bytes = mappings.reduce(0) { $0 + file.tensors[$1.sourceIndex].byteCount }
        return ContainerConversion.Summary(tensors: mappings.count, bytes: bytes, skippedMetadata: [])
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
    static func torchDType(_ dtype: SafetensorsDType?) -> String {
        switch dtype {
        case .bf16?: "bfloat16"
        case .f16?: "float16"
        default: "float32"
        }
    }
}
