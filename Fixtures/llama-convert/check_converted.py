"""Checks a GGUF that `llama3 convert HF_FOLDER OUT.gguf` wrote, against the HF checkpoint, using
only independent tools: gguf (llama.cpp's Python package), safetensors, numpy.

    .venv/bin/python Fixtures/llama-convert/check_converted.py gguf HF_FOLDER OUT.gguf
    .venv/bin/python Fixtures/llama-convert/check_converted.py back HF_FOLDER BACK_FOLDER

`gguf`: tensor names, Q/K rows permuted as llama.cpp's converter does (re-implemented here with
numpy), other 2-D tensors' bytes unchanged, 1-D tensors F32 with the original values (llama.cpp's
converter stores norms as F32), llama.* / tokenizer keys, rope_freqs, no output tensor
when tied. `back`: every tensor of BACK_FOLDER has the original's name, dtype, shape and bytes,
config.json agrees on the hyper-parameters, and transformers loads the folder (no missing or
unexpected keys) and computes the original's logits exactly. Prints OK or the first difference, exit 1.
"""
import json
import math
import os
import sys

import numpy as np
import torch
from gguf import GGMLQuantizationType, GGUFReader
from safetensors import safe_open


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def hf_tensors(folder):
    """name -> (dtype string, shape, raw bytes), read with safetensors' numpy-free byte view."""
    out = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".safetensors"):
            continue
        with safe_open(os.path.join(folder, name), framework="pt") as f:
            for key in f.keys():
                t = f.get_tensor(key)
                out[key] = (str(t.dtype), list(t.shape), t.contiguous().view(-1).view(torch.uint8).numpy().tobytes(),
                            t.float().numpy())
    return out


def llamacpp_permute(rows, n_head):
    # llama.cpp's converter: reshape (n_head, 2, rows/n_head/2, cols), swap axes 1 and 2, reshape back.
    n, cols = rows.shape
    return rows.reshape(n_head, 2, n // n_head // 2, cols).swapaxes(1, 2).reshape(n, cols)


def rope_factors(theta, head_dim, factor, low, high, original):
    # Llama 3.1 scaling as llama.cpp's converter computes rope_freqs.
    out = []
    for i in range(0, head_dim, 2):
        freq = 1.0 / (theta ** (i / head_dim))
        wavelen = 2 * math.pi / freq
        if wavelen < original / high:
            out.append(1.0)
        elif wavelen > original / low:
            out.append(factor)
        else:
            smooth = (original / wavelen - low) / (high - low)
            out.append(1 / ((1 - smooth) / factor + smooth))
    return np.array(out, dtype=np.float32)


HF_TO_GGUF = {
    "input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output", "post_attention_layernorm": "ffn_norm",
    "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
}


def gguf_name(hf):
    fixed = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
             "lm_head.weight": "output.weight"}
    if hf in fixed:
        return fixed[hf]
    parts = hf.split(".")
    return f"blk.{parts[2]}.{HF_TO_GGUF['.'.join(parts[3:-1])]}.weight"


def field(reader, key):
    f = reader.fields.get(key)
    if f is None:
        return None
    return f.contents()


def check_gguf(folder, path):
    config = json.load(open(os.path.join(folder, "config.json")))
    rope = config.get("rope_scaling") or config.get("rope_parameters") or {}
    theta = config.get("rope_theta", rope.get("rope_theta"))
    heads, kv_heads, dim = config["num_attention_heads"], config["num_key_value_heads"], config["hidden_size"]
    head_dim = config.get("head_dim") or dim // heads
    reader = GGUFReader(path)
    expected = {
        "general.architecture": "llama", "llama.block_count": config["num_hidden_layers"],
        "llama.embedding_length": dim, "llama.feed_forward_length": config["intermediate_size"],
        "llama.attention.head_count": heads, "llama.attention.head_count_kv": kv_heads,
        "llama.rope.dimension_count": head_dim, "llama.context_length": config["max_position_embeddings"],
        "llama.vocab_size": config["vocab_size"], "tokenizer.ggml.model": "gpt2", "tokenizer.ggml.pre": "llama-bpe",
        # llama_ftype of the weights' dtype, as llama.cpp's converter records it.
        "general.file_type": {"float32": 0, "float16": 1, "bfloat16": 32}[config.get("dtype") or config["torch_dtype"]],
    }
    for key, value in expected.items():
        if field(reader, key) != value:
            fail(f"{key}: expected {value!r}, found {field(reader, key)!r}")
    for key, value in [("llama.rope.freq_base", theta), ("llama.attention.layer_norm_rms_epsilon", config["rms_norm_eps"])]:
        if not np.isclose(field(reader, key), value, rtol=1e-6):
            fail(f"{key}: expected {value}, found {field(reader, key)}")
    if len(field(reader, "tokenizer.ggml.tokens")) != config["vocab_size"]:
        fail(f"tokenizer.ggml.tokens: expected {config['vocab_size']} tokens")
    generation = json.load(open(os.path.join(folder, "generation_config.json"))) if os.path.exists(os.path.join(folder, "generation_config.json")) else {}
    for key in ["bos_token_id", "eos_token_id"]:
        want = generation.get(key, config.get(key))
        want = want[0] if isinstance(want, list) else want
        if field(reader, "tokenizer.ggml." + key) != want:
            fail(f"tokenizer.ggml.{key}: expected {want}, found {field(reader, 'tokenizer.ggml.' + key)}")
    tokenizer_config = os.path.join(folder, "tokenizer_config.json")
    if os.path.exists(tokenizer_config) and "chat_template" in json.load(open(tokenizer_config)):
        if field(reader, "tokenizer.chat_template") != json.load(open(tokenizer_config))["chat_template"]:
            fail("tokenizer.chat_template differs from tokenizer_config.json")

    tensors = {t.name: t for t in reader.tensors}
    originals = hf_tensors(folder)
    wanted = {gguf_name(name) for name in originals}
    if rope.get("rope_type") == "llama3":
        wanted.add("rope_freqs.weight")
        factors = rope_factors(theta, head_dim, rope["factor"], rope["low_freq_factor"], rope["high_freq_factor"],
                               rope["original_max_position_embeddings"])
        found = np.array(tensors["rope_freqs.weight"].data, dtype=np.float32)
        if not np.allclose(found, factors, rtol=1e-6, atol=0):
            fail(f"rope_freqs.weight: expected {factors.tolist()}, found {found.tolist()}")
    if set(tensors) != wanted:
        fail(f"tensor names: expected {sorted(wanted)}, found {sorted(tensors)}")
    if config.get("tie_word_embeddings") and "output.weight" in tensors:
        fail("tied model has an output.weight")
    for name, (dtype, shape, raw, values) in originals.items():
        tensor = tensors[gguf_name(name)]
        if len(shape) == 1:
            if tensor.tensor_type != GGMLQuantizationType.F32 or not np.array_equal(np.asarray(tensor.data), values):
                fail(f"{name} -> {tensor.name}: expected F32 with the original values, found {tensor.tensor_type.name}")
            continue
        if list(reversed([int(d) for d in tensor.shape])) != shape:
            fail(f"{name}: expected shape {shape}, found GGUF dims {list(tensor.shape)}")
        rows = np.frombuffer(raw, dtype=np.uint8).reshape(shape[0], -1) if len(shape) == 2 else np.frombuffer(raw, dtype=np.uint8)
        if name.endswith("q_proj.weight"):
            rows = llamacpp_permute(rows, heads)
        elif name.endswith("k_proj.weight"):
            rows = llamacpp_permute(rows, kv_heads)
        found = np.asarray(tensor.data).view(np.uint8).tobytes()
        if found != rows.tobytes():
            fail(f"{name} -> {tensor.name}: bytes differ from the original{' permuted' if 'q_proj' in name or 'k_proj' in name else ''}")
    print(f"OK: {len(tensors)} tensors, names, Q/K permutation, metadata")


def check_back(folder, back):
    originals, returned = hf_tensors(folder), hf_tensors(back)
    if set(originals) != set(returned):
        fail(f"names: expected {sorted(originals)}, found {sorted(returned)}")
    for name, (dtype, shape, raw, _) in originals.items():
        if returned[name][:2] != (dtype, shape):
            fail(f"{name}: expected {dtype} {shape}, found {returned[name][:2]}")
        if returned[name][2] != raw:
            fail(f"{name}: bytes differ from the original")
    config, written = json.load(open(os.path.join(folder, "config.json"))), json.load(open(os.path.join(back, "config.json")))
    for key in ["hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
                "vocab_size", "tie_word_embeddings", "max_position_embeddings", "rms_norm_eps"]:
        if written.get(key) != config.get(key):
            fail(f"config.json {key}: expected {config.get(key)!r}, found {written.get(key)!r}")
    # transformers loads the folder we wrote (our config.json, our names) into the same model.
    from transformers import LlamaForCausalLM
    tokens = torch.tensor([[1, 7, 42, 300, 999]])
    with torch.no_grad():
        want = LlamaForCausalLM.from_pretrained(folder, dtype=torch.float32)(tokens).logits
        loaded, info = LlamaForCausalLM.from_pretrained(back, dtype=torch.float32, output_loading_info=True)
        got = loaded(tokens).logits
    if any(info[key] for key in ["missing_keys", "unexpected_keys", "mismatched_keys"]):
        fail(f"transformers loading {back}: {info}")
    if not torch.equal(want, got):
        fail(f"transformers logits differ: max {float((want - got).abs().max())}")
    print(f"OK: {len(returned)} tensors byte-identical to the original, config.json agrees, transformers loads it with the same logits")


if __name__ == "__main__":
    mode, folder, other = sys.argv[1:4]
    check_gguf(folder, other) if mode == "gguf" else check_back(folder, other)
