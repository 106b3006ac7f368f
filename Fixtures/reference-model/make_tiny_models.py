"""Writes tiny random Llama models with transformers and the fp32 logits transformers computes
for them, for the reference forward pass tests (Tests/ReferenceModelTests).

Run at test time through TestSupport.generatedFolder (nothing it writes is committed):
    .venv/bin/python Fixtures/reference-model/make_tiny_models.py VARIANT OUT_FOLDER

OUT_FOLDER receives an HF checkpoint (config.json, model.safetensors, tokenizer.json copied from
Fixtures/tokenizer/small-tokenizer.json, vocabulary 1256) and:
  ids.json     the token ids evaluated (a JSON array; <|begin_of_text|> 1000 first)
  logits.npy   float32 [len(ids), 1256]: LlamaForCausalLM's logits at every position, fp32,
               eager attention, one batch.

Variants (all float32, 2 layers, hidden 64, FFN 128, grouped-query attention):
  tied      4 heads, 2 KV heads, head_dim 16, tied embeddings, plain RoPE, theta 10000.
  scaled    8 heads, 2 KV heads, head_dim 32 (not hidden / heads), separate lm_head, theta 500000,
            Llama 3.1 rope scaling with original_max_position_embeddings 32 so that it changes
            the logits of a short sequence (the script checks that it does).
  llama31   4 heads, 1 KV head, head_dim 16, tied, theta 500000, Llama 3.1's own rope scaling
            (factor 8, low 1, high 4, original 8192).
  wide      hidden 256, FFN 512, 4 heads, 2 KV heads, head_dim 64, separate lm_head, theta 500000:
            every row a multiple of 256, so the k-quants' 256-value blocks fit.
Weights are drawn wider than transformers' default init (std 0.02 would make every logit tiny
and a 1e-4 tolerance meaningless) and norm weights are random too. Seeded: reruns are identical.
"""
import json
import os
import shutil
import sys

import numpy as np
import torch
from transformers import LlamaConfig, LlamaForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB = 1256
BOS = 1000
SEQUENCE_LENGTH = 40


def config(variant, scaled=True):
    common = dict(vocab_size=VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                  max_position_embeddings=131072, rms_norm_eps=1e-5, bos_token_id=BOS, eos_token_id=1001,
                  attn_implementation="eager")
    if variant == "tied":
        return LlamaConfig(num_attention_heads=4, num_key_value_heads=2, head_dim=16, tie_word_embeddings=True,
                           rope_theta=10000.0, **common)
    if variant == "scaled":
        scaling = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 32, "rope_theta": 500000.0}
        return LlamaConfig(num_attention_heads=8, num_key_value_heads=2, head_dim=32, tie_word_embeddings=False,
                           rope_theta=500000.0, rope_scaling=scaling if scaled else None, **common)
    if variant == "llama31":
        scaling = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                   "original_max_position_embeddings": 8192, "rope_theta": 500000.0}
        return LlamaConfig(num_attention_heads=4, num_key_value_heads=1, head_dim=16, tie_word_embeddings=True,
                           rope_theta=500000.0, rope_scaling=scaling, **common)
    if variant == "wide":
        common.update(hidden_size=256, intermediate_size=512)
        return LlamaConfig(num_attention_heads=4, num_key_value_heads=2, head_dim=64, tie_word_embeddings=False,
                           rope_theta=500000.0, **common)
    raise SystemExit(f"unknown variant {variant}")


def randomize(model, generator):
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("norm.weight") or name.endswith("layernorm.weight"):
                parameter.copy_(0.5 + torch.rand(parameter.shape, generator=generator))
            else:
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * 0.15)


def logits_of(model, ids):
    with torch.no_grad():
        return model(torch.tensor([ids])).logits[0].to(torch.float32).numpy()


def main():
    variant, out = sys.argv[1], sys.argv[2]
    generator = torch.Generator().manual_seed(20261130)
    model = LlamaForCausalLM(config(variant)).to(torch.float32).eval()
    randomize(model, generator)
    ids = [BOS] + torch.randint(0, 1000, (SEQUENCE_LENGTH - 1,), generator=generator).tolist()
    logits = logits_of(model, ids)

    if variant == "scaled":
        # The fixture must be able to fail: without the scaling the logits move by far more than 1e-4.
        plain = LlamaForCausalLM(config(variant, scaled=False)).to(torch.float32).eval()
        plain.load_state_dict(model.state_dict())
        moved = float(np.abs(logits_of(plain, ids) - logits).max())
        assert moved > 1e-2, f"rope scaling moves the logits by only {moved}"

    model.save_pretrained(out, safe_serialization=True)
    shutil.copy(os.path.join(HERE, "..", "tokenizer", "small-tokenizer.json"), os.path.join(out, "tokenizer.json"))
    with open(os.path.join(out, "ids.json"), "w") as f:
        json.dump(ids, f)
    np.save(os.path.join(out, "logits.npy"), logits.astype("<f4"))
    print(f"{variant}: logits std {logits.std():.3f}, max |logit| {np.abs(logits).max():.3f}")


if __name__ == "__main__":
    main()
