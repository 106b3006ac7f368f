#!/usr/bin/env python3
"""Writes a Llama-shaped F32 GGUF of random weights with gguf-py (benchmark input, never committed).

Usage: make_llama_f32_gguf.py OUT.gguf [--layers N]
Shape: dim 2048, 16 heads, 4 KV heads, FFN 8192, vocabulary 16384, 3 layers: about 1.0 GB.
"""
import argparse
import numpy as np
import gguf

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--layers", type=int, default=3)
args = parser.parse_args()

dim, heads, kv_heads, ffn, vocab = 2048, 16, 4, 8192, 16384
head_dim = dim // heads
rng = np.random.default_rng(0)


def weight(*shape):
    return (rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02))


writer = gguf.GGUFWriter(args.out, "llama")
writer.add_name("benchmark-llama")
writer.add_context_length(4096)
writer.add_embedding_length(dim)
writer.add_block_count(args.layers)
writer.add_feed_forward_length(ffn)
writer.add_rope_dimension_count(head_dim)
writer.add_head_count(heads)
writer.add_head_count_kv(kv_heads)
writer.add_layer_norm_rms_eps(1e-5)
writer.add_rope_freq_base(500000.0)
writer.add_vocab_size(vocab)
writer.add_file_type(gguf.LlamaFileType.ALL_F32)

writer.add_tensor("token_embd.weight", weight(vocab, dim))
for layer in range(args.layers):
    block = f"blk.{layer}"
    writer.add_tensor(f"{block}.attn_norm.weight", np.ones(dim, dtype=np.float32))
    writer.add_tensor(f"{block}.attn_q.weight", weight(dim, dim))
    writer.add_tensor(f"{block}.attn_k.weight", weight(kv_heads * head_dim, dim))
    writer.add_tensor(f"{block}.attn_v.weight", weight(kv_heads * head_dim, dim))
    writer.add_tensor(f"{block}.attn_output.weight", weight(dim, dim))
    writer.add_tensor(f"{block}.ffn_norm.weight", np.ones(dim, dtype=np.float32))
    writer.add_tensor(f"{block}.ffn_gate.weight", weight(ffn, dim))
    writer.add_tensor(f"{block}.ffn_up.weight", weight(ffn, dim))
    writer.add_tensor(f"{block}.ffn_down.weight", weight(dim, ffn))
writer.add_tensor("output_norm.weight", np.ones(dim, dtype=np.float32))
writer.add_tensor("output.weight", weight(vocab, dim))
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
