import LlamaLayout
import ModelIO
import Testing

/// Reading the hyper-parameters a file states: HF config.json and GGUF llama.* keys.
@Suite struct DeclaredHyperParametersTests {
    /// Meta-Llama-3.1-8B-Instruct's config.json as published on the Hugging Face hub (trimmed of
    /// keys the analysis does not read).
    static let llama31Config = """
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
         "eos_token_id": [128001, 128008, 128009], "hidden_act": "silu", "hidden_size": 4096,
         "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 131072,
         "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32,
         "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
         "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                          "original_max_position_embeddings": 8192, "rope_type": "llama3"},
         "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
         "transformers_version": "4.42.3", "use_cache": true, "vocab_size": 128256}
        """

    @Test func llama31ConfigGivesEveryHyperParameterWithItsKey() throws {
        let declared = DeclaredHyperParameters.fromConfigJSON(try JSONParser.parse(Self.llama31Config))
        #expect(declared.typeProblems.isEmpty)
        #expect(declared.layers == Declared(32, key: "config.json num_hidden_layers"))
        #expect(declared.dim?.value == 4096)
        #expect(declared.heads?.value == 32)
        #expect(declared.kvHeads == Declared(8, key: "config.json num_key_value_heads"))
        #expect(declared.headDim == nil)
        #expect(declared.ffn?.value == 14336)
        #expect(declared.vocab?.value == 128_256)
        #expect(declared.contextLength?.value == 131_072)
        #expect(declared.ropeTheta?.value == 500_000)
        #expect(declared.ropeScaling?.value == .llama31)
        #expect(declared.tied?.value == false)
        #expect(declared.rmsNormEpsilon?.value == 1e-5)
    }

    @Test func llama31ConfigWithHuggingFaceTensorsIsLlama31_8B() throws {
        var input = SyntheticLayout.llama3_8B.input(naming: .huggingFace)
        input.declared = DeclaredHyperParameters.fromConfigJSON(try JSONParser.parse(Self.llama31Config))
        let analysis = LlamaAnalysis.analyze(input)
        #expect(analysis.problems.isEmpty, "\(analysis.problems)")
        #expect(analysis.model?.variant.name == "Llama 3.1 8B")
        #expect(analysis.model?.hyperParameters.contextLength == 131_072)
    }

    @Test func configValuesOfTheWrongTypeAreProblemsNamingTheKey() throws {
        let config = try JSONParser.parse("""
            {"num_hidden_layers": "32", "num_attention_heads": -1, "tie_word_embeddings": 0,
             "rope_scaling": {"type": "yarn", "factor": 4.0}}
            """)
        let declared = DeclaredHyperParameters.fromConfigJSON(config)
        #expect(declared.typeProblems.map(\.key) == [
            "config.json num_hidden_layers", "config.json num_attention_heads",
            "config.json tie_word_embeddings", "config.json rope_scaling",
        ])
        #expect(declared.layers == nil && declared.heads == nil)
    }

    @Test func ggufCountsAreReadWhateverIntegerTypeStoresThem() {
        let metadata: [String: MetadataScalar] = [
            "general.architecture": .string("llama"),
            "llama.block_count": .integer(32),          // i32 in some converters
            "llama.embedding_length": .unsigned(4096),  // u32 in llama.cpp's
            "llama.attention.head_count": .float(32),   // a whole float is still a count
            "llama.rope.freq_base": .float(500_000),
        ]
        let declared = DeclaredHyperParameters.fromGGUF { metadata[$0] }
        #expect(declared.typeProblems.isEmpty)
        #expect(declared.layers == Declared(32, key: "llama.block_count"))
        #expect(declared.dim?.value == 4096 && declared.heads?.value == 32)
        #expect(declared.ropeTheta?.value == 500_000)
    }

    @Test func ggufTokenListIsReadAsTheTokenCount() {
        let metadata: [String: MetadataScalar] = ["tokenizer.ggml.tokens": .array(count: 128_256)]
        let declared = DeclaredHyperParameters.fromGGUF { metadata[$0] }
        #expect(declared.tokenCount == Declared(128_256, key: "tokenizer.ggml.tokens"))
        #expect(declared.vocab == nil)
    }

    @Test func ggufKeysFollowTheDeclaredArchitecture() {
        let metadata: [String: MetadataScalar] = [
            "general.architecture": .string("mistral"), "mistral.block_count": .unsigned(32),
            "llama.block_count": .unsigned(99),
        ]
        let declared = DeclaredHyperParameters.fromGGUF { metadata[$0] }
        #expect(declared.layers == Declared(32, key: "mistral.block_count"))
    }
}
