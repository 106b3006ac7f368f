"""Writes a tiny random Llama-layout GGUF twice with gguf-py's GGUFWriter: whole (tiny.gguf) and
split in three parts as gguf-py's split support writes them (tiny-00001-of-00003.gguf ...: the
model's keys in part 1, split.no / split.count / split.tensors.count in every part), for the split
GGUF tests (Tests/CLITests/SplitGGUFTests.swift). Both hold the same tensors, byte for byte.

Run at test time (nothing it writes is committed):
    .venv/bin/python Fixtures/split-gguf/make_split.py OUT_FOLDER
Shape: hidden 64, 2 layers, 4 heads, 2 KV heads, FFN 128, vocabulary 256; token_embd is F16,
the rest F32 (21 tensors, 7 a part). Seeded, so reruns give the same bytes.
"""
import os
import sys

import numpy as np

import gguf

HIDDEN, LAYERS, HEADS, KV_HEADS, FFN, VOCAB = 64, 2, 4, 2, 128, 256
HEAD_DIM = HIDDEN // HEADS


def tensors():
    rng = np.random.default_rng(12)
    out = [("token_embd.weight", rng.standard_normal((VOCAB, HIDDEN)).astype(np.float16))]
    for layer in range(LAYERS):
        shapes = {
            "attn_norm": (HIDDEN,), "attn_q": (HEADS * HEAD_DIM, HIDDEN), "attn_k": (KV_HEADS * HEAD_DIM, HIDDEN),
            "attn_v": (KV_HEADS * HEAD_DIM, HIDDEN), "attn_output": (HIDDEN, HEADS * HEAD_DIM),
            "ffn_norm": (HIDDEN,), "ffn_gate": (FFN, HIDDEN), "ffn_up": (FFN, HIDDEN), "ffn_down": (HIDDEN, FFN),
        }
        for name, shape in shapes.items():
            out.append((f"blk.{layer}.{name}.weight", (rng.standard_normal(shape) * 0.1).astype(np.float32)))
    out.append(("output_norm.weight", np.ones(HIDDEN, dtype=np.float32)))
    out.append(("output.weight", (rng.standard_normal((VOCAB, HIDDEN)) * 0.1).astype(np.float32)))
    return out


def write(path, split_max_tensors):
    writer = gguf.GGUFWriter(path, "llama", split_max_tensors=split_max_tensors)
    writer.add_name("tiny split")
    writer.add_context_length(256)
    writer.add_embedding_length(HIDDEN)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FFN)
    writer.add_rope_dimension_count(HEAD_DIM)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_rope_freq_base(500000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(VOCAB)
    for name, data in tensors():
        writer.add_tensor(name, data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    write(os.path.join(folder, "tiny.gguf"), 0)
    write(os.path.join(folder, "tiny.gguf"), 7)  # gguf-py names the parts tiny-0000N-of-00003.gguf
    parts = sorted(name for name in os.listdir(folder) if "-of-" in name)
    if len(parts) != 3:
        raise SystemExit(f"expected 3 parts, gguf-py wrote {parts}")


if __name__ == "__main__":
    main()
