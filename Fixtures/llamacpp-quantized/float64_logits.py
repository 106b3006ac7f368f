"""transformers' float64 logits for a llama GGUF, its weights dequantized by gguf-py (llama.cpp's
Python package): the expected values of the reference model's test on the files llama.cpp
quantized (make_llamacpp_quantized.py).

    .venv/bin/python Fixtures/llamacpp-quantized/float64_logits.py MODEL.gguf IDS.json OUT.npy

The architecture comes from the GGUF's llama.* keys (no rope scaling: these files have none).
Each tensor is dequantized with gguf.quants.dequantize, renamed to its HF name and its q/k rows
put back in rotate-half order, as Fixtures/reference-model/gguf_logits.py does; the model then
runs in float64 (eager attention). Writes the logits [len(ids), vocab] rounded to float32 (a
relative 6e-8, far below the tests' 1e-3), the type the tests' .npy reader takes.
"""
import json
import os
import sys

import numpy as np
import torch
from gguf import GGUFReader
from gguf.quants import dequantize
from transformers import LlamaConfig, LlamaForCausalLM

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference-model"))
from gguf_logits import hf_name, rotate_half_order  # noqa: E402


def scalar(reader, key):
    field = reader.fields[key]
    return field.parts[field.data[0]][0].item()


def config_of(reader):
    heads = scalar(reader, "llama.attention.head_count")
    dim = scalar(reader, "llama.embedding_length")
    vocab = next(t for t in reader.tensors if t.name == "token_embd.weight").shape[1]
    return LlamaConfig(
        vocab_size=int(vocab), hidden_size=dim, intermediate_size=scalar(reader, "llama.feed_forward_length"),
        num_hidden_layers=scalar(reader, "llama.block_count"), num_attention_heads=heads,
        num_key_value_heads=scalar(reader, "llama.attention.head_count_kv"), head_dim=dim // heads,
        rms_norm_eps=scalar(reader, "llama.attention.layer_norm_rms_epsilon"),
        rope_theta=scalar(reader, "llama.rope.freq_base"), max_position_embeddings=scalar(reader, "llama.context_length"),
        tie_word_embeddings=not any(t.name == "output.weight" for t in reader.tensors), attn_implementation="eager")


def main():
    path, ids_path, out = sys.argv[1:4]
    reader = GGUFReader(path)
    config = config_of(reader)
    with open(ids_path) as f:
        ids = json.load(f)
    state = {}
    for tensor in reader.tensors:
        name = hf_name(tensor.name)
        values = dequantize(tensor.data, tensor.tensor_type).astype(np.float64)
        values = values.reshape([int(n) for n in reversed(tensor.shape)])
        if name.endswith("q_proj.weight"):
            values = rotate_half_order(values, config.num_attention_heads, config.head_dim)
        if name.endswith("k_proj.weight"):
            values = rotate_half_order(values, config.num_key_value_heads, config.head_dim)
        state[name] = torch.from_numpy(np.ascontiguousarray(values))
    model = LlamaForCausalLM(config).to(torch.float64).eval()
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(name == "lm_head.weight" for name in missing), (missing, unexpected)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].numpy()
    np.save(out, logits.astype("<f4"))


if __name__ == "__main__":
    main()
