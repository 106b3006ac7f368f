import LlamaLayout
import Testing

/// The name pairs of llama.cpp's tensor map for LLM_ARCH_LLAMA (gguf-py's TENSOR_NAMES and
/// convert_hf_to_gguf's mapping from transformers' LlamaForCausalLM).
@Suite struct TensorNameMapTests {
    static let pairs: [(hf: String, gguf: String)] = [
        ("model.embed_tokens.weight", "token_embd.weight"),
        ("model.norm.weight", "output_norm.weight"),
        ("lm_head.weight", "output.weight"),
        ("model.layers.0.input_layernorm.weight", "blk.0.attn_norm.weight"),
        ("model.layers.0.self_attn.q_proj.weight", "blk.0.attn_q.weight"),
        ("model.layers.7.self_attn.k_proj.weight", "blk.7.attn_k.weight"),
        ("model.layers.31.self_attn.v_proj.weight", "blk.31.attn_v.weight"),
        ("model.layers.10.self_attn.o_proj.weight", "blk.10.attn_output.weight"),
        ("model.layers.79.post_attention_layernorm.weight", "blk.79.ffn_norm.weight"),
        ("model.layers.2.mlp.gate_proj.weight", "blk.2.ffn_gate.weight"),
        ("model.layers.2.mlp.up_proj.weight", "blk.2.ffn_up.weight"),
        ("model.layers.125.mlp.down_proj.weight", "blk.125.ffn_down.weight"),
    ]

    @Test(arguments: pairs)
    func huggingFaceNameMapsToGGUF(_ pair: (hf: String, gguf: String)) {
        #expect(TensorNameMap.ggufName(forHuggingFace: pair.hf) == pair.gguf)
    }

    @Test(arguments: pairs)
    func ggufNameMapsToHuggingFace(_ pair: (hf: String, gguf: String)) {
        #expect(TensorNameMap.huggingFaceName(forGGUF: pair.gguf) == pair.hf)
    }

    @Test func ropeFrequenciesHaveNoHuggingFaceName() {
        #expect(LlamaTensorName("rope_freqs.weight") == .ropeFrequencies)
        #expect(TensorNameMap.huggingFaceName(forGGUF: "rope_freqs.weight") == nil)
    }

    @Test(arguments: [
        "blk.01.attn_q.weight",           // not the canonical index
        "blk.+1.attn_q.weight",
        "blk.-1.attn_q.weight",
        "blk.10000.attn_q.weight",        // beyond any Llama
        "blk.0.attn_q.bias",              // Llama has no biases
        "blk.0.attn_qkv.weight",          // fused, another architecture
        "blk..attn_q.weight",
        "model.layers.0.self_attn.q_proj",
        "model.layers.0.mlp.gate_proj.weight.extra",
        "model.embed_tokens",
        "transformer.wte.weight",
        "blk.0.attn_q.weight ",
    ])
    func namesOutsideTheLayoutAreNotRecognised(_ name: String) {
        #expect(LlamaTensorName(name) == nil, "\(name) should not be a Llama tensor")
    }

    @Test func eachNamingReadsOnlyItsOwnNames() {
        #expect(LlamaTensorName.parse("blk.3.ffn_up.weight", naming: .huggingFace) == nil)
        #expect(LlamaTensorName.parse("model.layers.3.mlp.up_proj.weight", naming: .gguf) == nil)
        #expect(LlamaTensorName.parse("model.layers.3.mlp.up_proj.weight", naming: .huggingFace) == .layer(3, .up))
    }

    @Test func olderTransformersRotaryBuffersAreKnown() {
        #expect(TensorNameMap.isKnownHuggingFaceBuffer("model.layers.4.self_attn.rotary_emb.inv_freq"))
        #expect(!TensorNameMap.isKnownHuggingFaceBuffer("model.layers.4.self_attn.q_proj.weight"))
    }
}
