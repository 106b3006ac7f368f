"""Golden Llama 3.1/3.2 rope frequency divisors (llama.cpp's rope_freqs.weight) from transformers:
the ratio of the default RoPE inverse frequencies to the "llama3"-scaled ones that
transformers' _compute_llama3_parameters returns.

Rerun: .venv/bin/python Fixtures/llama-layout/make_rope_factors.py > Fixtures/llama-layout/rope-factors.json
"""
import json

import torch
from transformers import LlamaConfig
from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS

CASES = [
    # name, hidden size, heads, theta, factor
    ("llama-3.1-8b", 4096, 32, 500000.0, 8.0),
    ("llama-3.2-1b", 2048, 32, 500000.0, 32.0),
    ("llama-3.2-3b", 3072, 24, 500000.0, 32.0),
]


def divisors(hidden, heads, theta, factor):
    scaling = {"rope_type": "llama3", "factor": factor, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
               "original_max_position_embeddings": 8192, "rope_theta": theta}
    config = LlamaConfig(hidden_size=hidden, num_attention_heads=heads, rope_parameters=scaling,
                         max_position_embeddings=131072)
    scaled, _ = ROPE_INIT_FUNCTIONS["llama3"](config, torch.device("cpu"))
    head_dim = hidden // heads
    # transformers computes the scaled frequencies in float32: the ratios carry ~1e-7 of noise.
    base = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).to(torch.float64) / head_dim))
    return [float(x) for x in (base / scaled.to(torch.float64)).tolist()]


if __name__ == "__main__":
    out = {name: {"head_dim": hidden // heads, "theta": theta, "factor": factor,
                  "divisors": divisors(hidden, heads, theta, factor)}
           for name, hidden, heads, theta, factor in CASES}
    print(json.dumps(out, indent=1))
