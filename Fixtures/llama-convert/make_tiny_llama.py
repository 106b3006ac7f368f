"""Writes a tiny random Llama checkpoint with transformers, for the HF <-> GGUF conversion tests.

Run at test time (nothing it writes is committed):
    .venv/bin/python Fixtures/llama-convert/make_tiny_llama.py VARIANT OUT_FOLDER

Variants:
  tied-small   float32, vocabulary 1256 = Fixtures/tokenizer/small-tokenizer.json copied in as
               tokenizer.json, tied embeddings, a chat template in tokenizer_config.json,
               bos/eos in generation_config.json.
  scaled-bf16  bfloat16, vocabulary 128256 (the official one, supplied with --vocab), separate
               lm_head, Llama 3.1 rope scaling, no tokenizer files.
Both: hidden 64, 2 layers, 4 heads, 2 KV heads (GQA, so q and k are permuted with different
head counts), head_dim 16, FFN 128. Seeded, so reruns give the same weights.
"""
import json
import os
import shutil
import sys

import torch
from transformers import LlamaConfig, LlamaForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
CHAT_TEMPLATE = "{% for message in messages %}<|start_header_id|>{{ message['role'] }}<|end_header_id|>\n\n{{ message['content'] | trim }}<|eot_id|>{% endfor %}"


def config(variant):
    common = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, max_position_embeddings=256, rms_norm_eps=1e-5, rope_theta=500000.0)
    if variant == "tied-small":
        return LlamaConfig(vocab_size=1256, tie_word_embeddings=True, bos_token_id=1000, eos_token_id=1001, **common)
    if variant == "scaled-bf16":
        scaling = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 8192}
        return LlamaConfig(vocab_size=128256, tie_word_embeddings=False, bos_token_id=128000, eos_token_id=128001,
                           rope_scaling=scaling, **{**common, "max_position_embeddings": 131072})
    raise SystemExit(f"unknown variant {variant}")


def main():
    variant, out = sys.argv[1], sys.argv[2]
    torch.manual_seed(20261123)
    model = LlamaForCausalLM(config(variant))
    if variant == "scaled-bf16":
        model = model.to(torch.bfloat16)
    model.save_pretrained(out, safe_serialization=True)
    if variant == "tied-small":
        shutil.copy(os.path.join(HERE, "..", "tokenizer", "small-tokenizer.json"), os.path.join(out, "tokenizer.json"))
        with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
            json.dump({"chat_template": CHAT_TEMPLATE, "bos_token": "<|begin_of_text|>", "eos_token": "<|end_of_text|>"}, f)
        with open(os.path.join(out, "generation_config.json"), "w") as f:
            json.dump({"bos_token_id": 1000, "eos_token_id": [1001, 1002]}, f)


if __name__ == "__main__":
    main()
