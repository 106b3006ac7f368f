#!/usr/bin/env python3
"""Llama-shaped F32 GGUFs for the k-quant and mix tests, written by gguf-py (nothing committed):
    .venv/bin/python Fixtures/quantization/make_kquant_model.py OUT_FOLDER

OUT_FOLDER/llama.gguf   4 layers, dim 256, 4 heads of 64, 2 KV heads (GQA), FFN 256, vocabulary 256:
                        every row a multiple of 256, so each type's own blocks fit everywhere
OUT_FOLDER/narrow.gguf  2 layers, dim 64, 2 heads, 1 KV head, FFN 128, vocabulary 256: rows of 64
                        and 128 values, where llama.cpp falls back from the k-quants

The weights come from numpy's seeded generator; make_kquant_fixtures.py records the XXH3-128 of
every input tensor beside llama.cpp's outputs, so a numpy that draws differently is caught
there rather than read as a quantizer difference.
"""
import os
import sys
import numpy as np
import gguf

SHAPES = {
    "llama.gguf": dict(dim=256, heads=4, kv_heads=2, ffn=256, vocab=256, layers=4, seed=256),
    "narrow.gguf": dict(dim=64, heads=2, kv_heads=1, ffn=128, vocab=256, layers=2, seed=64),
}


def write_model(path, dim, heads, kv_heads, ffn, vocab, layers, seed):
    rng = np.random.default_rng(seed)
    head_dim = dim // heads

    def weight(*shape):
        return rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("kquant-test")
    writer.add_context_length(256)
    writer.add_embedding_length(dim)
    writer.add_block_count(layers)
    writer.add_feed_forward_length(ffn)
    writer.add_rope_dimension_count(head_dim)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(500000.0)
    writer.add_vocab_size(vocab)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tensor("token_embd.weight", weight(vocab, dim))
    for layer in range(layers):
        block = f"blk.{layer}"
        writer.add_tensor(f"{block}.attn_norm.weight", 1 + weight(dim))
        writer.add_tensor(f"{block}.attn_q.weight", weight(dim, dim))
        writer.add_tensor(f"{block}.attn_k.weight", weight(kv_heads * head_dim, dim))
        writer.add_tensor(f"{block}.attn_v.weight", weight(kv_heads * head_dim, dim))
        writer.add_tensor(f"{block}.attn_output.weight", weight(dim, dim))
        writer.add_tensor(f"{block}.ffn_norm.weight", 1 + weight(dim))
        writer.add_tensor(f"{block}.ffn_gate.weight", weight(ffn, dim))
        writer.add_tensor(f"{block}.ffn_up.weight", weight(ffn, dim))
        writer.add_tensor(f"{block}.ffn_down.weight", weight(dim, ffn))
    writer.add_tensor("output_norm.weight", 1 + weight(dim))
    writer.add_tensor("output.weight", weight(vocab, dim))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    out = sys.argv[1]
    for name, shape in SHAPES.items():
        write_model(os.path.join(out, name), **shape)
        print(name)
