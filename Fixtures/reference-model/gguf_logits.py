"""transformers' fp32 logits for a Llama GGUF, its weights dequantized by gguf-py (llama.cpp's
Python package), for the reference model's tests on F16, BF16, Q8_0, Q4_0 and Q4_1 files.

    .venv/bin/python Fixtures/reference-model/gguf_logits.py ORIGINAL_FOLDER MODEL.gguf OUT.npy

ORIGINAL_FOLDER is the HF checkpoint the GGUF was converted from (made by make_tiny_models.py):
its config.json gives the architecture and its ids.json the ids evaluated. Each GGUF tensor is
dequantized with gguf.quants.dequantize, renamed to its HF name, and the q/k rows are put back
in rotate-half order (GGUF row h*d + 2i + j is HF row h*d + j*d/2 + i; q with the query heads,
k with the KV heads). Writes float32 logits [len(ids), vocab].
"""
import json
import os
import re
import sys

import numpy as np
import torch
from gguf import GGUFReader
from gguf.quants import dequantize
from transformers import LlamaConfig, LlamaForCausalLM

STEMS = {"attn_norm": "input_layernorm", "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj",
         "attn_v": "self_attn.v_proj", "attn_output": "self_attn.o_proj", "ffn_norm": "post_attention_layernorm",
         "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj"}
WHOLE = {"token_embd.weight": "model.embed_tokens.weight", "output_norm.weight": "model.norm.weight",
         "output.weight": "lm_head.weight"}


def hf_name(name):
    if name in WHOLE:
        return WHOLE[name]
    match = re.fullmatch(r"blk\.(\d+)\.(\w+)\.weight", name)
    return f"model.layers.{match[1]}.{STEMS[match[2]]}.weight" if match else None


def rotate_half_order(weights, heads, head_dim):
    """Rows from GGUF's interleaved pairs back to HF's halves, head by head."""
    columns = weights.shape[1]
    return (weights.reshape(heads, head_dim // 2, 2, columns).transpose(0, 2, 1, 3).reshape(heads * head_dim, columns))


def main():
    original, path, out = sys.argv[1:4]
    with open(os.path.join(original, "config.json")) as f:
        config = LlamaConfig(**{**json.load(f), "attn_implementation": "eager"})
    with open(os.path.join(original, "ids.json")) as f:
        ids = json.load(f)
    head_dim = config.head_dim
    state = {}
    for tensor in GGUFReader(path).tensors:
        name = hf_name(tensor.name)
        if name is None:
            continue  # rope_freqs: config.json's rope scaling says the same
        values = dequantize(tensor.data, tensor.tensor_type).astype(np.float32)
        values = values.reshape([int(n) for n in reversed(tensor.shape)])
        if name.endswith("q_proj.weight"):
            values = rotate_half_order(values, config.num_attention_heads, head_dim)
        if name.endswith("k_proj.weight"):
            values = rotate_half_order(values, config.num_key_value_heads, head_dim)
        state[name] = torch.from_numpy(np.ascontiguousarray(values))
    model = LlamaForCausalLM(config).to(torch.float32).eval()
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(name == "lm_head.weight" for name in missing), (missing, unexpected)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].to(torch.float32).numpy()
    np.save(out, logits.astype("<f4"))


if __name__ == "__main__":
    main()
