import LlamaLayout
import Testing

/// Well-formed files of the published sizes are named, with Meta's exact parameter counts.
@Suite struct KnownLayoutTests {
    struct Case: Sendable, CustomStringConvertible {
        var layout: SyntheticLayout
        var ropeScaled: Bool
        var name: String
        /// From Meta's model cards / transformers' num_parameters() of each release.
        var parameters: Int
        var gqaSaving: Int
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(layout: .llama3_8B, ropeScaled: false, name: "Llama 3 8B", parameters: 8_030_261_248, gqaSaving: 4),
        Case(layout: .llama3_70B, ropeScaled: false, name: "Llama 3 70B", parameters: 70_553_706_496, gqaSaving: 8),
        Case(layout: .llama3_8B, ropeScaled: true, name: "Llama 3.1 8B", parameters: 8_030_261_248, gqaSaving: 4),
        Case(layout: .llama3_70B, ropeScaled: true, name: "Llama 3.1 70B", parameters: 70_553_706_496, gqaSaving: 8),
        Case(layout: .llama32_1B, ropeScaled: true, name: "Llama 3.2 1B", parameters: 1_235_814_400, gqaSaving: 4),
        Case(layout: .llama32_3B, ropeScaled: true, name: "Llama 3.2 3B", parameters: 3_212_749_824, gqaSaving: 3),
    ]

    @Test(arguments: cases, [TensorNaming.gguf, .huggingFace])
    func publishedLayoutIsNamedWithExactParameterCount(_ known: Case, naming: TensorNaming) throws {
        var layout = known.layout
        layout.ropeFrequencies = known.ropeScaled && naming == .gguf
        var input = layout.input(naming: naming)
        if known.ropeScaled && naming == .huggingFace {
            input.declared.ropeScaling = Declared(.llama31, key: "config.json rope_scaling")
        }
        let analysis = LlamaAnalysis.analyze(input)
        #expect(analysis.problems == [])
        let model = try #require(analysis.model)
        #expect(model.variant.name == known.name, "\(model.variant.summary)")
        #expect(model.figures.parameters == known.parameters)
        #expect(model.naming == naming)
        #expect(model.figures.kvCache?.gqaSaving == known.gqaSaving)
    }

    @Test func kvCacheOfLlama3_8BIs128KiBPerTokenAtF16AndFourTimesLessThanFullAttention() throws {
        let model = try #require(LlamaAnalysis.analyze(SyntheticLayout.llama3_8B.input()).model)
        let cache = try #require(model.figures.kvCache)
        // 2 (k, v) x 32 layers x 8 KV heads x 128 x 2 bytes
        #expect(cache.f16BytesPerToken == 131_072)
        #expect(cache.fullAttentionF16BytesPerToken == 524_288)
        #expect(cache.bytesPerToken == 131_072)
        #expect(cache.dtype == "BF16")
        #expect(cache.f16BytesAtContext == 131_072 * 8192)
    }

    @Test func kvCacheOfLlama3_70BIs320KiBPerTokenAtF16AndEightTimesLess() throws {
        let model = try #require(LlamaAnalysis.analyze(SyntheticLayout.llama3_70B.input()).model)
        let cache = try #require(model.figures.kvCache)
        // 2 x 80 layers x 8 KV heads x 128 x 2 bytes
        #expect(cache.f16BytesPerToken == 327_680)
        #expect(cache.fullAttentionF16BytesPerToken == 327_680 * 8)
    }

    @Test func kvCacheAtTheFileDTypeFollowsQ8_0BlockSizes() throws {
        let layout = SyntheticLayout.llama3_8B
        // Q8_0: 32 weights in 34 bytes (an f16 scale and 32 int8)
        let tensors = layout.tensors(naming: .gguf, matrixDType: "Q8_0", matrixBytes: { $0 / 32 * 34 })
        var input = layout.input()
        input.tensors = tensors
        let analysis = LlamaAnalysis.analyze(input)
        let cache = try #require(analysis.model?.figures.kvCache)
        #expect(cache.dtype == "Q8_0")
        #expect(cache.bytesPerToken == 2 * 32 * 1024 / 32 * 34)
        #expect(analysis.model?.figures.parameters == 8_030_261_248)
        let q8 = try #require(analysis.model?.figures.sizeByDType.first)
        #expect(q8.dtype == "Q8_0" && q8.tensors == 32 * 7 + 2)
    }

    @Test func sizeByDTypeAddsUpToTheWeightBytes() throws {
        let model = try #require(LlamaAnalysis.analyze(SyntheticLayout.llama3_8B.input()).model)
        let shares = model.figures.sizeByDType
        #expect(shares.map(\.dtype) == ["BF16", "F32"])
        #expect(shares.reduce(0) { $0 + $1.bytes } == model.figures.weightBytes)
        #expect(shares.reduce(0) { $0 + $1.parameters } == 8_030_261_248)
        #expect(shares[1].tensors == 65 && shares[1].parameters == 65 * 4096)
    }

    @Test func oneFieldOffNamesTheNearestLayoutAndTheDifference() throws {
        var layout = SyntheticLayout.llama3_8B
        layout.layers = 24
        var metadata = layout.ggufMetadata()
        metadata["llama.block_count"] = .unsigned(24)
        let analysis = LlamaAnalysis.analyze(layout.input(metadata: metadata))
        #expect(analysis.problems == [])
        let variant = try #require(analysis.model?.variant)
        #expect(variant.name == nil)
        #expect(variant.nearest == "Llama 3 8B")
        #expect(variant.differences == ["layers 24 (Llama 3 8B: 32)"])
    }

    @Test func fileWithoutLayerTensorsIsAContainerNotAModel() {
        let input = LayoutInput(tensors: [
            .init(name: "token_embd.weight", shape: [10, 4], dtype: "F32", bytes: 160),
            .init(name: "classifier.weight", shape: [2, 4], dtype: "F32", bytes: 32),
        ])
        let analysis = LlamaAnalysis.analyze(input)
        #expect(analysis.model == nil && analysis.problems.isEmpty && analysis.warnings.isEmpty)
    }

    @Test func ropeFrequencyValuesRevealTheScalingOfAGGUF() throws {
        var layout = SyntheticLayout.llama3_8B
        layout.ropeFrequencies = true
        var input = layout.input()
        input.ropeFrequencyValues = RopeScaling.llama31.frequencyFactors(headDim: 128, theta: 500_000)
        let scaled = LlamaAnalysis.analyze(input)
        #expect(scaled.model?.hyperParameters.ropeScaling == .llama31)
        #expect(scaled.warnings.isEmpty)
        input.ropeFrequencyValues = [Float](repeating: 0, count: 64)
        let unknown = LlamaAnalysis.analyze(input)
        #expect(unknown.model?.hyperParameters.ropeScaling == nil)
        #expect(unknown.model?.variant.name == "Llama 3.1 8B")  // the table's presence still says 3.1
        #expect(unknown.warnings.map(\.description) == [
            "rope_freqs.weight: its divisors match neither Llama 3.1's nor Llama 3.2's rope scaling (theta 500000.0, head_dim 128)"
        ])
    }
}
