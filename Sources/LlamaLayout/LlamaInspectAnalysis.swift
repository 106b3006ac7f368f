import GGUF
import ModelFiles
import ModelIO

/// The Llama layout analysis of `llama3 inspect`: turns an opened `ModelFile` into the analysis'
/// input (shapes, dtypes, byte counts; GGUF llama.* keys or the config.json beside a safetensors
/// checkpoint) and adds `model`, `problems` and `warnings` to the report.
public struct LlamaInspectAnalysis: InspectAnalysis {
    public init() {}

    public func analyse(_ file: ModelFile, into report: inout InspectReport) {
        let analysis = LlamaAnalysis.analyze(Self.input(for: file))
        if let model = analysis.model {
            report.model = InspectSection(json: model.json, textLines: model.textLines)
            if let eos = Self.endOfSequence(in: file), case .object(var members)? = report.model?.json {
                members.append(JSONMember("eos", .object([JSONMember("id", eos.id.map { .integer($0) } ?? .null), JSONMember("token", .string(eos.token))])))
                report.model?.json = .object(members)
                report.model?.textLines.append("eos:         \(eos.token)" + (eos.id.map { " (\($0))" } ?? ""))
            }
        }
        report.problems += analysis.problems.map(\.description)
        report.warnings += analysis.warnings.map(\.description)
    }

    /// The Llama model `inspect` finds in `file`, for work that must not go on with any layout
    /// problem (converting, running). The error lists every problem, or says `unsettled` when
    /// there is none to name, then `advice`.
    public static func consistentModel(
        in file: ModelFile, expected: String, unsettled: String, advice: String = ""
    ) throws -> LlamaModelReport {
        let analysis = LlamaAnalysis.analyze(input(for: file))
        guard analysis.problems.isEmpty, let model = analysis.model else {
            let problems = analysis.problems.map(\.description)
            throw FileError(
                file: file.path,
                "expected \(expected) (see `llama3 inspect`): "
                    + (problems.isEmpty ? unsettled : problems.joined(separator: "; ")) + advice)
        }
        return model
    }

    /// The end-of-sequence token: as a GGUF names it (tokenizer.ggml.eos_token_id, and its entry
    /// of tokenizer.ggml.tokens), or as a Meta folder's conversion writes it by default.
    static func endOfSequence(in file: ModelFile) -> (id: Int?, token: String)? {
        if case .metaCheckpoint = file.container { return (nil, "<|end_of_text|> when converted, unless --eos names another") }
        guard let metadata = file.container.ggufHeader?.metadata, let id = metadata["tokenizer.ggml.eos_token_id"]?.integer,
            let tokens = metadata["tokenizer.ggml.tokens"]?.array, id >= 0, id < tokens.count,
            let token = try? tokens.elements(prefix: id + 1).last?.string
        else { return nil }
        return (id, token)
    }

    /// What the analysis reads from `file`. Reads headers and small side files only.
    public static func input(for file: ModelFile) -> LayoutInput {
        let tensors = file.tensors.map {
            LayoutInput.Tensor(name: $0.name, shape: $0.shape, dtype: $0.dtype.name, bytes: $0.byteCount)
        }
        if case .metaCheckpoint(let meta) = file.container { return metaInput(file, meta, tensors: tensors) }
        guard let gguf = file.container.ggufHeader else { return huggingFaceInput(file, tensors: tensors) }
        let metadata = gguf.metadata
        return LayoutInput(
            tensors: tensors,
            declared: DeclaredHyperParameters.fromGGUF { metadata[$0].map(MetadataScalar.init) },
            tokenizer: metadata["tokenizer.ggml.tokens"] == nil ? nil : "tokenizer.ggml.tokens",
            chatTemplate: metadata["tokenizer.chat_template"] == nil ? nil : "tokenizer.chat_template",
            ropeFrequencyValues: ropeFrequencyValues(in: file))
    }

    /// The F32 values of rope_freqs.weight (head_dim / 2 of them: a few hundred bytes).
    static func ropeFrequencyValues(in file: ModelFile) -> [Float]? {
        guard let tensor = file.tensor(named: "rope_freqs.weight"), tensor.dtype.name == "F32",
            tensor.shape.count == 1, tensor.shape[0] <= 1 << 16, tensor.byteCount == tensor.shape[0] * 4
        else { return nil }
        let source = tensor.data.source
        return try? (0..<tensor.shape[0]).map {
            Float(bitPattern: try source.load(UInt32.self, at: tensor.offset + 4 * $0, expected: "rope_freqs.weight"))
        }
    }

    /// A safetensors file or folder: hyper-parameters and tokenizer files live beside the weights.
    static func huggingFaceInput(_ file: ModelFile, tensors: [LayoutInput.Tensor]) -> LayoutInput {
        let sideFiles = HuggingFaceSideFiles(beside: file)
        var declared = DeclaredHyperParameters()
        switch sideFiles.config {
        case .success(let config)?:
            declared = DeclaredHyperParameters.fromConfigJSON(config)
        case .failure(let error)?:
            declared.typeProblems = [MetadataTypeProblem(key: HuggingFaceSideFiles.configName, expected: "valid JSON (\(error))")]
        case nil:
            break
        }
        return LayoutInput(
            tensors: tensors, declared: declared, tokenizer: sideFiles.tokenizerFileName,
            chatTemplate: sideFiles.chatTemplateSource)
    }
}

extension LlamaInspectAnalysis {
    /// Meta's folder: params.json (with a config.json beside it for rope factors), tokenizer.model.
    static func metaInput(_ file: ModelFile, _ meta: MetaCheckpoint, tensors: [LayoutInput.Tensor]) -> LayoutInput {
        let sideFiles = HuggingFaceSideFiles(beside: file)
        var declared = DeclaredHyperParameters.fromParamsJSON(meta.params, config: try? sideFiles.config?.get())
        if case .failure(let error)? = sideFiles.config {
            declared.typeProblems.append(MetadataTypeProblem(key: HuggingFaceSideFiles.configName, expected: "valid JSON (\(error))"))
        }
        return LayoutInput(
            tensors: tensors, declared: declared,
            tokenizer: sideFiles.tokenizerModelPath == nil ? nil : HuggingFaceSideFiles.tokenizerModelName,
            chatTemplate: sideFiles.chatTemplateSource)
    }
}

extension MetadataScalar {
    init(_ value: GGUFValue) {
        switch value {
        case .uint8(let v): self = .unsigned(UInt64(v))
        case .uint16(let v): self = .unsigned(UInt64(v))
        case .uint32(let v): self = .unsigned(UInt64(v))
        case .uint64(let v): self = .unsigned(v)
        case .int8(let v): self = .integer(Int64(v))
        case .int16(let v): self = .integer(Int64(v))
        case .int32(let v): self = .integer(Int64(v))
        case .int64(let v): self = .integer(v)
        case .float32(let v): self = .float(Double(v))
        case .float64(let v): self = .float(v)
        case .bool(let v): self = .bool(v)
        case .string(let v): self = .string(v)
        case .array(let array): self = .array(count: array.count)
        }
    }
}
