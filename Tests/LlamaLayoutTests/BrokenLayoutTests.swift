import LlamaLayout
import ModelIO
import Testing

/// Each defect of a Llama layout is one finding naming the tensor or key, and nothing else is blamed.
@Suite struct BrokenLayoutTests {
    typealias Tensor = LayoutInput.Tensor

    /// Llama 3 8B with `edit` applied to its tensor list.
    static func eightB(
        naming: TensorNaming = .gguf, metadata: [String: MetadataScalar]? = nil,
        _ edit: (inout [Tensor]) -> Void = { _ in }
    ) -> LlamaAnalysis {
        var input = SyntheticLayout.llama3_8B.input(naming: naming, metadata: metadata)
        edit(&input.tensors)
        return LlamaAnalysis.analyze(input)
    }

    static func reshape(_ tensors: inout [Tensor], _ name: String, to shape: [Int]) {
        guard let index = tensors.firstIndex(where: { $0.name == name }) else {
            Issue.record("no tensor \(name) to reshape")
            return
        }
        tensors[index].shape = shape
        tensors[index].bytes = shape.reduce(1, *) * 2
    }

    static func descriptions(_ findings: [LayoutFinding]) -> [String] { findings.map(\.description) }

    @Test(arguments: [TensorNaming.gguf, .huggingFace])
    func keyProjectionWith32HeadsInsteadOf8IsNamed(_ naming: TensorNaming) {
        let name = naming == .gguf ? "blk.3.attn_k.weight" : "model.layers.3.self_attn.k_proj.weight"
        let analysis = Self.eightB(naming: naming) { Self.reshape(&$0, name, to: [4096, 4096]) }
        #expect(Self.descriptions(analysis.problems) == [
            "\(name): shape [4096, 4096] (32 KV heads instead of 8), expected [1024, 4096] (KV heads 8 x head_dim 128, by dim)"
        ])
        #expect(analysis.model?.variant.name == "Llama 3 8B")
    }

    @Test func missingLayerIsOneFinding() {
        let analysis = Self.eightB { $0.removeAll { $0.name.hasPrefix("blk.17.") } }
        #expect(Self.descriptions(analysis.problems) == ["layer 17: missing: no blk.17.* tensors"])
    }

    @Test func missingLastLayersAreFoundThroughTheBlockCount() {
        let analysis = Self.eightB { $0.removeAll { $0.name.hasPrefix("blk.30.") || $0.name.hasPrefix("blk.31.") } }
        #expect(Self.descriptions(analysis.problems) == ["layers 30-31: missing: no blk.N.* tensors for N in 30...31"])
    }

    @Test func missingTensorOfALayerIsNamed() {
        let analysis = Self.eightB(naming: .huggingFace) {
            $0.removeAll { $0.name == "model.layers.5.self_attn.v_proj.weight" }
        }
        #expect(Self.descriptions(analysis.problems) == ["model.layers.5.self_attn.v_proj.weight: missing"])
    }

    @Test func wrongFFNDimensionIsNamed() {
        let analysis = Self.eightB { Self.reshape(&$0, "blk.5.ffn_gate.weight", to: [11008, 4096]) }
        #expect(Self.descriptions(analysis.problems) == [
            "blk.5.ffn_gate.weight: shape [11008, 4096] (FFN 11008 instead of 14336), expected [14336, 4096] (FFN x dim)"
        ])
    }

    @Test func ffnMetadataDisagreeingWithEveryLayerIsOneFindingOnTheKey() {
        var metadata = SyntheticLayout.llama3_8B.ggufMetadata()
        metadata["llama.feed_forward_length"] = .unsigned(11008)
        let analysis = Self.eightB(metadata: metadata)
        #expect(Self.descriptions(analysis.problems) == [
            "llama.feed_forward_length: is 11008 but the shapes give FFN size 14336 (blk.0.ffn_gate.weight and 95 more)"
        ])
    }

    @Test func headsNotDivisibleByKVHeadsIsNamed() {
        var layout = SyntheticLayout.llama3_8B
        layout.kvHeads = 6
        var metadata = layout.ggufMetadata()
        metadata["llama.attention.head_count_kv"] = .unsigned(6)
        let analysis = LlamaAnalysis.analyze(layout.input(metadata: metadata))
        #expect(Self.descriptions(analysis.problems) == [
            "llama.attention.head_count_kv: 32 heads are not a multiple of 6 KV heads: grouped-query attention "
                + "shares each KV head among the same number of query heads"
        ])
    }

    @Test func metadataHeadCountDisagreeingWithShapesIsNamed() {
        var metadata = SyntheticLayout.llama3_8B.ggufMetadata()
        metadata["llama.attention.head_count"] = .unsigned(16)
        let analysis = Self.eightB(metadata: metadata)
        #expect(Self.descriptions(analysis.problems) == [
            "llama.attention.head_count: is 16 but the attn_q tensors hold 32 heads of 128 (4096 rows)"
        ])
    }

    @Test func metadataKVHeadCountDisagreeingWithShapesIsNamed() {
        var metadata = SyntheticLayout.llama3_8B.ggufMetadata()
        metadata["llama.attention.head_count_kv"] = .unsigned(32)
        let analysis = Self.eightB(metadata: metadata)
        #expect(Self.descriptions(analysis.problems) == [
            "llama.attention.head_count_kv: is 32 but the attn_k/attn_v tensors hold 8 KV heads of 128 (1024 rows)"
        ])
    }

    @Test func blockCountBelowTheLayersPresentIsNamed() {
        var metadata = SyntheticLayout.llama3_8B.ggufMetadata()
        metadata["llama.block_count"] = .unsigned(30)
        let analysis = Self.eightB(metadata: metadata)
        #expect(Self.descriptions(analysis.problems) == [
            "llama.block_count: is 30 but the file has tensors for layer 30, 31"
        ])
    }

    @Test func vocabularySizeDisagreeingWithTheEmbeddingIsNamed() {
        var metadata = SyntheticLayout.llama3_8B.ggufMetadata()
        metadata["llama.vocab_size"] = .unsigned(128_000)
        let analysis = Self.eightB(metadata: metadata)
        #expect(Self.descriptions(analysis.problems) == [
            "llama.vocab_size: is 128000 but the shapes give vocabulary size 128256 (token_embd.weight and 1 more)"
        ])
    }

    @Test func rotaryBuffersOfOlderTransformersAreOneWarning() {
        let analysis = Self.eightB(naming: .huggingFace) { tensors in
            for n in 0..<32 {
                tensors.append(Tensor(name: "model.layers.\(n).self_attn.rotary_emb.inv_freq", shape: [64], dtype: "F32", bytes: 256))
            }
        }
        #expect(analysis.problems.isEmpty)
        #expect(Self.descriptions(analysis.warnings) == [
            "model.layers.0.self_attn.rotary_emb.inv_freq: a rotary-embedding buffer saved by older transformers "
                + "(and 31 more like it), not a weight; ignored"
        ])
        #expect(analysis.model?.figures.parameters == 8_030_261_248)
    }

    @Test func tokenListDisagreeingWithTheEmbeddingIsNamed() {
        var metadata = SyntheticLayout.llama3_8B.ggufMetadata()
        metadata["tokenizer.ggml.tokens"] = .array(count: 128_000)
        let analysis = Self.eightB(metadata: metadata)
        #expect(Self.descriptions(analysis.problems) == [
            "tokenizer.ggml.tokens: has 128000 tokens but the embedding has 128256 rows (llama.cpp sizes it by the tokens)"
        ])
    }

    @Test func strayAndDuplicateTensorsAreNamed() {
        let analysis = Self.eightB {
            $0.append(Tensor(name: "blk.0.attn_q.bias", shape: [4096], dtype: "F32", bytes: 16384))
            $0.append(Tensor(name: "model.layers.2.mlp.up_proj.weight", shape: [14336, 4096], dtype: "BF16", bytes: 14336 * 4096 * 2))
        }
        #expect(Self.descriptions(analysis.problems) == [
            "blk.0.attn_q.bias: stray tensor: not part of the Llama layout",
            "model.layers.2.mlp.up_proj.weight: Hugging Face name in a file that otherwise uses GGUF names "
                + "(like token_embd.weight); the only such name",
            "model.layers.2.mlp.up_proj.weight: duplicate of blk.2.ffn_up.weight (each tensor must appear once)",
        ])
    }

    @Test func wrongRopeFrequencyTableLengthIsNamed() {
        var layout = SyntheticLayout.llama3_8B
        layout.ropeFrequencies = true
        var input = layout.input()
        input.tensors[input.tensors.count - 1].shape = [128]
        let analysis = LlamaAnalysis.analyze(input)
        #expect(Self.descriptions(analysis.problems) == [
            "rope_freqs.weight: shape [128], expected [64] (head_dim / 2)"
        ])
    }

    @Test func missingOutputWhenConfigSaysUntiedIsAProblem() {
        var input = SyntheticLayout.llama3_8B.input(naming: .huggingFace)
        input.tensors.removeAll { $0.name == "lm_head.weight" }
        input.declared.tied = Declared(false, key: "config.json tie_word_embeddings")
        let analysis = LlamaAnalysis.analyze(input)
        #expect(Self.descriptions(analysis.problems) == [
            "lm_head.weight: missing, and config.json tie_word_embeddings is false (the output matrix is not tied)"
        ])
    }

    @Test func everyProblemIsListedNotJustTheFirst() {
        let analysis = Self.eightB {
            Self.reshape(&$0, "blk.3.attn_k.weight", to: [4096, 4096])
            Self.reshape(&$0, "blk.9.ffn_down.weight", to: [4096, 11008])
            $0.removeAll { $0.name == "output_norm.weight" }
        }
        #expect(analysis.problems.map(\.subject) == ["output_norm.weight", "blk.3.attn_k.weight", "blk.9.ffn_down.weight"])
    }

    @Test func missingTokenizerAndChatTemplateAreWarningsNotProblems() {
        var input = SyntheticLayout.llama3_8B.input()
        input.tokenizer = nil
        input.chatTemplate = nil
        let analysis = LlamaAnalysis.analyze(input)
        #expect(analysis.problems.isEmpty)
        #expect(analysis.warnings.map(\.subject) == ["tokenizer", "chat template"])
    }

    @Test func lyingBlockCountIsRefusedWithoutAHugeReport() {
        var metadata = SyntheticLayout.llama3_8B.ggufMetadata()
        metadata["llama.block_count"] = .unsigned(4_000_000_000)
        let analysis = Self.eightB(metadata: metadata)
        #expect(Self.descriptions(analysis.problems) == [
            "llama.block_count: expected a non-negative integer below 2^31"
        ])
    }
}

/// Shapes and counts no real file has: the analysis reports them and never traps.
@Suite struct HostileLayoutTests {
    typealias Tensor = LayoutInput.Tensor

    static let shapes: [[Int]] = [[], [0], [0, 0], [4096], [1, 2, 3], [Int.max, 2], [Int.max / 2, Int.max / 2], [128, 0]]

    @Test(arguments: shapes)
    func anyShapeForEveryTensorIsReportedWithoutTrapping(_ shape: [Int]) {
        var input = SyntheticLayout.llama3_8B.input()
        for index in input.tensors.indices where index % 3 == 0 { input.tensors[index].shape = shape }
        let analysis = LlamaAnalysis.analyze(input)
        #expect(!analysis.problems.isEmpty)
        _ = analysis.model?.textLines
        _ = JSONValue.object(analysis.jsonMembers).serialized()
    }

    @Test func hugeDeclaredValuesAreRefusedOrReported() {
        let metadata: [String: MetadataScalar] = [
            "llama.block_count": .unsigned(UInt64.max), "llama.embedding_length": .integer(-5),
            "llama.attention.head_count": .unsigned(1 << 31), "llama.attention.head_count_kv": .unsigned(0),
            "llama.rope.dimension_count": .unsigned(1 << 31), "llama.feed_forward_length": .float(1e300),
            "llama.context_length": .unsigned(1 << 31),
        ]
        let analysis = LlamaAnalysis.analyze(SyntheticLayout.llama3_8B.input(metadata: metadata))
        #expect(!analysis.problems.isEmpty)
        _ = analysis.model?.textLines
        _ = JSONValue.object(analysis.jsonMembers).serialized()
    }

    @Test func hugeHeadDimBesideARopeTableAllocatesNothingBySize() {
        var layout = SyntheticLayout.llama3_8B
        layout.ropeFrequencies = true
        var metadata = layout.ggufMetadata()
        metadata["llama.rope.dimension_count"] = .unsigned(1 << 30)
        var input = layout.input(metadata: metadata)
        input.ropeFrequencyValues = RopeScaling.llama31.frequencyFactors(headDim: 128, theta: 500_000)
        let analysis = LlamaAnalysis.analyze(input)
        #expect(analysis.model?.hyperParameters.ropeScaling == nil)
        #expect(!analysis.problems.isEmpty)
    }

    @Test func layerTensorsAloneStillGiveAReport() {
        let input = LayoutInput(tensors: [Tensor(name: "blk.4.attn_q.weight", shape: [64, 64], dtype: "F32", bytes: 16384)])
        let analysis = LlamaAnalysis.analyze(input)
        #expect(analysis.problems.map(\.subject).contains("token_embd.weight"))
        #expect(analysis.problems.map(\.subject).contains("layers 0-3"))
    }
}
