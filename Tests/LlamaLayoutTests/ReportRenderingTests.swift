import LlamaLayout
import ModelIO
import Testing

/// The report as people and programs read it.
@Suite struct ReportRenderingTests {
    @Test func textSaysWhatTheModelIsAtAGlance() throws {
        var layout = SyntheticLayout.llama3_8B
        layout.ropeFrequencies = true
        let analysis = LlamaAnalysis.analyze(layout.input(metadata: layout.ggufMetadata(contextLength: 131_072)))
        #expect(analysis.problems.isEmpty)
        let lines = try #require(analysis.model).textLines
        #expect(lines.first == "model:       Llama 3.1 8B (GGUF tensor names, hyper-parameters from GGUF metadata)")
        #expect(lines.contains("layout:      32 layers, dim 4096, 32 heads, 8 KV heads x 128, FFN 14336, vocab 128256, separate output"))
        #expect(lines.contains("parameters:  8,030,261,248 (8.03B)"))
        #expect(lines.contains("rope:        theta 500000, Llama 3.1 scaling as a rope_freqs table of 64; context 131072 tokens"))
        #expect(lines.contains(
            "KV cache:    128 KiB per token at F16 (256 KiB at F32); GQA makes it 4x smaller than full attention (512 KiB); 16 GiB for 131072 tokens"),
            "\(lines)")
    }

    @Test func jsonHoldsExactIntegersAndTheSchemaMembers() throws {
        let analysis = LlamaAnalysis.analyze(SyntheticLayout.llama3_70B.input())
        let object = JSONValue.object(analysis.jsonMembers)
        let text = object.serialized()
        let parsed = try JSONParser.parse(text)
        let model = try #require(parsed["model"])
        #expect(model["variant"] == "Llama 3 70B")
        #expect(model["parameters"] == .int(70_553_706_496))
        #expect(model["kv_heads"] == 8 && model["heads"] == 64 && model["head_dim"] == 128)
        #expect(model["kv_cache"]?["gqa_saving"] == 8)
        #expect(model["rms_norm_eps"] == .double(1e-5))
        #expect(model["rope"]?["theta"] == 500_000)
        #expect(parsed["problems"] == .array([]))
        #expect(parsed["warnings"] == .array([]))
    }
}
