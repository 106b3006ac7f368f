"""Writes a Meta-layout checkpoint with Llama 3 70B's widths and 8 model-parallel ranks, and checks a
GGUF converted from it, for the merge test (Tests/CLITests/MetaWideMergeTests.swift).

    .venv/bin/python Fixtures/pytorch/make_wide_meta.py make OUT_FOLDER
    .venv/bin/python Fixtures/pytorch/make_wide_meta.py check OUT_FOLDER CONVERTED.gguf

`make`: dim 8192, 64 heads, 8 KV heads, FFN 28672 (multiple_of 4096, ffn_dim_multiplier 1.3, as
70B's params.json), 2 layers, vocabulary shrunk to 1256 (Fixtures/tokenizer/small-tokenizer.json),
8 ranks split as Llama 3's reference code splits them; about 3.4 GB of bfloat16 in all, each
rank's part generated from its own seed (integers, exact in bfloat16). Too big to commit: the test
writes it into its temporary folder and removes it.
`check`: every tensor of the GGUF against the ranks' parts, read back with torch.load(mmap=True)
and gguf-py: a column-parallel tensor's rows r*n..(r+1)*n are rank r's part, a row-parallel one's
columns are, a norm is F32 with rank 0's values (and every rank holds the same). Prints OK or the
first difference and exits 1.
"""
import json
import os
import sys

import numpy as np
import torch
from gguf import GGUFReader

PARAMS = {"dim": 8192, "n_layers": 2, "n_heads": 64, "n_kv_heads": 8, "vocab_size": 1256, "multiple_of": 4096,
          "ffn_dim_multiplier": 1.3, "norm_eps": 1e-05, "rope_theta": 500000.0, "use_scaled_rope": False}
RANKS = 8
FFN = 28672
GGUF_NAMES = {"attention.wq": "attn_q", "attention.wk": "attn_k", "attention.wv": "attn_v", "attention.wo": "attn_output",
              "feed_forward.w1": "ffn_gate", "feed_forward.w2": "ffn_down", "feed_forward.w3": "ffn_up",
              "attention_norm": "attn_norm", "ffn_norm": "ffn_norm"}


def shapes():
    """Meta name -> (full shape, split axis or None)."""
    dim, head_dim = PARAMS["dim"], PARAMS["dim"] // PARAMS["n_heads"]
    kv = PARAMS["n_kv_heads"] * head_dim
    out = {"tok_embeddings.weight": ((PARAMS["vocab_size"], dim), 0)}
    for layer in range(PARAMS["n_layers"]):
        p = f"layers.{layer}."
        out.update({p + "attention.wq.weight": ((dim, dim), 0), p + "attention.wk.weight": ((kv, dim), 0),
                    p + "attention.wv.weight": ((kv, dim), 0), p + "attention.wo.weight": ((dim, dim), 1),
                    p + "feed_forward.w1.weight": ((FFN, dim), 0), p + "feed_forward.w2.weight": ((dim, FFN), 1),
                    p + "feed_forward.w3.weight": ((FFN, dim), 0), p + "attention_norm.weight": ((dim,), None),
                    p + "ffn_norm.weight": ((dim,), None)})
    out["norm.weight"] = ((dim,), None)
    out["output.weight"] = ((PARAMS["vocab_size"], dim), 0)
    return out


def part(name, shape, axis, rank):
    if axis is None:
        # The same seed on every rank: replicated values.
        generator = torch.Generator().manual_seed(sum(name.encode()))
        return (1 + torch.randint(-8, 8, shape, generator=generator).to(torch.float32) / 64).to(torch.bfloat16)
    piece = list(shape)
    piece[axis] //= RANKS
    generator = torch.Generator().manual_seed(100_000 * rank + sum(name.encode()))
    return torch.randint(-120, 120, piece, generator=generator, dtype=torch.int16).to(torch.bfloat16)


def make(folder):
    os.makedirs(folder, exist_ok=True)
    for rank in range(RANKS):
        state = {name: part(name, shape, axis, rank) for name, (shape, axis) in shapes().items()}
        torch.save(state, os.path.join(folder, f"consolidated.{rank:02d}.pth"))
        del state
    with open(os.path.join(folder, "params.json"), "w") as out:
        json.dump(PARAMS, out)


def gguf_name(name):
    fixed = {"tok_embeddings.weight": "token_embd.weight", "norm.weight": "output_norm.weight", "output.weight": "output.weight"}
    if name in fixed:
        return fixed[name]
    _, layer, *stem, _ = name.split(".")
    return f"blk.{layer}.{GGUF_NAMES['.'.join(stem)]}.weight"


def check(folder, path):
    ranks = [torch.load(os.path.join(folder, f"consolidated.{r:02d}.pth"), mmap=True) for r in range(RANKS)]
    tensors = {t.name: t for t in GGUFReader(path).tensors}
    for name, (shape, axis) in shapes().items():
        tensor = tensors[gguf_name(name)]
        found = np.asarray(tensor.data)
        if axis is None:
            want = ranks[0][name].float().numpy()
            if any(not torch.equal(r[name], ranks[0][name]) for r in ranks) or not np.array_equal(found.reshape(-1), want):
                sys.exit(f"FAIL: {name}: expected F32 with every rank's replicated values")
            continue
        rows = found.view(np.uint16).reshape(shape)
        for rank in range(RANKS):
            want = ranks[rank][name].view(torch.int16).numpy().view(np.uint16)
            size = want.shape[axis]
            got = rows[rank * size:(rank + 1) * size] if axis == 0 else rows[:, rank * size:(rank + 1) * size]
            if not np.array_equal(got, want):
                sys.exit(f"FAIL: {name}: rank {rank}'s part is not at {'rows' if axis == 0 else 'columns'} {rank * size}..{(rank + 1) * size}")
    print(f"OK: {len(shapes())} tensors merged from {RANKS} ranks")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3])
