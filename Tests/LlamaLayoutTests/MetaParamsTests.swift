import LlamaLayout
import ModelIO
import Testing

/// Meta's params.json, as published with the original Llama 3 checkpoints, read as the reference
/// code reads it. The expected FFN sizes are the published configs' intermediate_size.
@Suite struct MetaParamsTests {
    /// Meta-Llama-3.1-8B's original/params.json.
    static let llama31_8B = """
        {"dim": 4096, "ffn_dim_multiplier": 1.3, "multiple_of": 1024, "n_heads": 32, "n_kv_heads": 8, "n_layers": 32,
         "norm_eps": 1e-05, "rope_theta": 500000.0, "use_scaled_rope": true, "vocab_size": 128256}
        """
    /// Meta-Llama-3-70B's original/params.json (no scaled rope).
    static let llama3_70B = """
        {"dim": 8192, "ffn_dim_multiplier": 1.3, "multiple_of": 4096, "n_heads": 64, "n_kv_heads": 8, "n_layers": 80,
         "norm_eps": 1e-05, "vocab_size": 128256, "rope_theta": 500000.0}
        """

    @Test func llama31_8BGivesItsPublishedConfig() throws {
        let declared = DeclaredHyperParameters.fromParamsJSON(try JSONParser.parse(Self.llama31_8B))
        #expect(declared.typeProblems.isEmpty)
        #expect(declared.origin == "params.json")
        #expect(declared.dim == Declared(4096, key: "params.json dim"))
        #expect(declared.layers?.value == 32 && declared.heads?.value == 32 && declared.kvHeads?.value == 8)
        #expect(declared.ffn?.value == 14336)
        #expect(declared.vocab?.value == 128_256)
        #expect(declared.ropeScaling?.value == .llama31)
        #expect(declared.contextLength?.value == 131_072)
        #expect(declared.rmsNormEpsilon?.value == 1e-5 && declared.ropeTheta?.value == 500_000)
    }

    @Test func llama3_70BHasFFN28672AndNoScaling() throws {
        let declared = DeclaredHyperParameters.fromParamsJSON(try JSONParser.parse(Self.llama3_70B))
        #expect(declared.ffn?.value == 28672)
        #expect(declared.ropeScaling == nil)
        #expect(declared.contextLength?.value == 8192)
    }

    /// Llama 3.2's config.json says factor 32: those factors are used, and the origin says so.
    @Test func aConfigJSONBesideItGivesTheRopeFactors() throws {
        let config = try JSONParser.parse("""
            {"max_position_embeddings": 131072, "rope_scaling": {"factor": 32.0, "low_freq_factor": 1.0,
             "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"}}
            """)
        let declared = DeclaredHyperParameters.fromParamsJSON(try JSONParser.parse(Self.llama31_8B), config: config)
        #expect(declared.ropeScaling?.value == .llama32)
        #expect(declared.origin == "params.json, rope scaling factors from config.json")
        #expect(declared.ropeScaling?.key.contains("config.json rope_scaling") == true)
    }

    @Test func aWrongTypeIsAProblemNamingTheKey() throws {
        let declared = DeclaredHyperParameters.fromParamsJSON(try JSONParser.parse(#"{"dim": "4096", "use_scaled_rope": 1}"#))
        #expect(declared.typeProblems.map(\.key) == ["params.json dim", "params.json use_scaled_rope"])
    }

    @Test func metaNamesAreTheLlamaLayout() {
        #expect(LlamaTensorName.parse("layers.3.feed_forward.w1.weight", naming: .meta) == .layer(3, .gate))
        #expect(LlamaTensorName.parse("layers.3.feed_forward.w3.weight", naming: .meta) == .layer(3, .up))
        #expect(LlamaTensorName.parse("layers.3.feed_forward.w2.weight", naming: .meta) == .layer(3, .down))
        #expect(LlamaTensorName.parse("tok_embeddings.weight", naming: .meta) == .tokenEmbedding)
        #expect(LlamaTensorName.layer(0, .attentionNorm).name(in: .meta) == "layers.0.attention_norm.weight")
        #expect(LlamaTensorName.parse("layers.0.attention.wq.weight", naming: .gguf) == nil)
    }
}
