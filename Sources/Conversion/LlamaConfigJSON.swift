import LlamaLayout
import ModelIO

/// The config.json transformers' LlamaConfig reads, for a GGUF converted back to HF.
enum LlamaConfigJSON {
    static func config(_ hyper: LlamaHyperParameters, bosTokenID: Int?, eosTokenID: Int?, torchDType: String) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("architectures", .array(["LlamaForCausalLM"])),
            JSONMember("model_type", "llama"),
            JSONMember("hidden_act", "silu"),
            JSONMember("attention_bias", false),
            JSONMember("mlp_bias", false),
            JSONMember("hidden_size", .integer(hyper.dim)),
            JSONMember("intermediate_size", .integer(hyper.ffn)),
            JSONMember("num_hidden_layers", .integer(hyper.layers)),
            JSONMember("num_attention_heads", .integer(hyper.heads)),
            JSONMember("num_key_value_heads", .integer(hyper.kvHeads)),
            JSONMember("head_dim", .integer(hyper.headDim)),
            JSONMember("vocab_size", .integer(hyper.vocab)),
            JSONMember("tie_word_embeddings", .bool(hyper.tied)),
            JSONMember("torch_dtype", .string(torchDType)),
        ]
        if let context = hyper.contextLength { members.append(JSONMember("max_position_embeddings", .integer(context))) }
        // GGUF stores these as FLOAT32: the shortest decimal of that float (1e-05, 500000.0).
        if let epsilon = hyper.rmsNormEpsilon { members.append(JSONMember("rms_norm_eps", .float32(Float(epsilon)))) }
        if let theta = hyper.ropeTheta { members.append(JSONMember("rope_theta", .float32(Float(theta)))) }
        if let scaling = hyper.ropeScaling {
            members.append(JSONMember("rope_scaling", .object([
                JSONMember("rope_type", "llama3"),
                JSONMember("factor", .double(scaling.factor)),
                JSONMember("low_freq_factor", .double(scaling.lowFrequencyFactor)),
                JSONMember("high_freq_factor", .double(scaling.highFrequencyFactor)),
                JSONMember("original_max_position_embeddings", .integer(scaling.originalContextLength)),
            ])))
        }
        if let bosTokenID { members.append(JSONMember("bos_token_id", .integer(bosTokenID))) }
        if let eosTokenID { members.append(JSONMember("eos_token_id", .integer(eosTokenID))) }
        return .object(members)
    }
}
