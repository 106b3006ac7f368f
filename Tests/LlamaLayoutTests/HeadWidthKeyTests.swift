import GGUF
import LlamaLayout
import Testing

/// A model whose head_dim is not dim / heads (config.json's `head_dim`): llama.cpp sizes a head by
/// `attention.key_length` / `value_length`, else by dim / heads, so such a GGUF needs both keys.
@Suite struct HeadWidthKeyTests {
    /// 8 heads of 32 on a dim of 64: dim / heads would be 8.
    static let wideHeads = SyntheticLayout(layers: 2, dim: 64, heads: 8, kvHeads: 2, headDim: 32, ffn: 128, vocab: 1256)

    static func hyperParameters(dim: Int, heads: Int, headDim: Int) -> LlamaHyperParameters {
        LlamaHyperParameters(
            layers: 2, dim: dim, heads: heads, kvHeads: 2, headDim: headDim, ffn: 128, vocab: 1256, tied: true,
            contextLength: 2048, ropeTheta: 500_000, ropeScaling: nil, rmsNormEpsilon: 1e-5)
    }

    @Test func keyAndValueLengthAreWrittenWhenHeadDimIsNotDimOverHeads() {
        var metadata = GGUFMetadata()
        Self.hyperParameters(dim: 64, heads: 8, headDim: 32).writeGGUFMetadata(into: &metadata)
        #expect(metadata["llama.attention.key_length"] == .uint32(32))
        #expect(metadata["llama.attention.value_length"] == .uint32(32))
        #expect(metadata["llama.rope.dimension_count"] == .uint32(32))
    }

    @Test func filesWhoseHeadDimIsDimOverHeadsKeepTheirKeys() {
        var metadata = GGUFMetadata()
        Self.hyperParameters(dim: 64, heads: 4, headDim: 16).writeGGUFMetadata(into: &metadata)
        #expect(metadata["llama.attention.key_length"] == nil && metadata["llama.attention.value_length"] == nil)
    }

    @Test func keyLengthIsHeadDimEvenWhereRopeDimensionCountSaysOtherwise() {
        var metadata = Self.wideHeads.ggufMetadata()
        metadata["llama.attention.key_length"] = .unsigned(32)
        metadata["llama.attention.value_length"] = .unsigned(32)
        metadata["llama.rope.dimension_count"] = nil
        let analysis = LlamaAnalysis.analyze(Self.wideHeads.input(metadata: metadata))
        #expect(analysis.model?.hyperParameters.headDim == 32)
        #expect(analysis.problems.isEmpty && analysis.warnings.isEmpty, "\(analysis.problems) \(analysis.warnings)")
    }

    @Test func aGGUFWithoutKeyLengthWhoseHeadDimIsNotDimOverHeadsIsWarnedAbout() {
        let analysis = LlamaAnalysis.analyze(Self.wideHeads.input())
        #expect(analysis.model?.hyperParameters.headDim == 32)
        #expect(analysis.problems.isEmpty)
        #expect(analysis.warnings.map(\.description) == [
            "llama.attention.key_length: missing although head_dim 32 is not dim / heads (64 / 8): llama.cpp takes "
                + "dim / heads and cannot load this file (llama3 convert writes the key)"
        ])
    }

    @Test func aValueLengthOtherThanHeadDimIsAProblem() {
        var metadata = Self.wideHeads.ggufMetadata()
        metadata["llama.attention.key_length"] = .unsigned(32)
        metadata["llama.attention.value_length"] = .unsigned(16)
        let analysis = LlamaAnalysis.analyze(Self.wideHeads.input(metadata: metadata))
        #expect(analysis.problems.map(\.description) == [
            "llama.attention.value_length: is 16 but head_dim is 32: the Llama layout has one width for keys and values"
        ])
    }
}
