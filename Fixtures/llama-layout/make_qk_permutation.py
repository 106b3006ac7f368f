"""Golden Q/K row orders: llama.cpp's convert_hf_to_gguf permutes HF q_proj/k_proj rows with
    w.reshape(n_head, 2, rows // n_head // 2, *rest).swapaxes(1, 2).reshape(w.shape)
(n_head = the KV head count for k_proj). Applied with numpy to a column of row numbers, it says
which HF row each GGUF row holds.

Rerun: .venv/bin/python Fixtures/llama-layout/make_qk_permutation.py > Fixtures/llama-layout/qk-permutation.json
"""
import json

import numpy as np

CASES = [(1, 4), (2, 8), (4, 16), (8, 128), (3, 6)]


def permuted_rows(heads, head_dim):
    rows = np.arange(heads * head_dim).reshape(heads * head_dim, 1)
    out = rows.reshape(heads, 2, rows.shape[0] // heads // 2, *rows.shape[1:]).swapaxes(1, 2).reshape(rows.shape)
    return [int(r) for r in out[:, 0]]


print(json.dumps([{"heads": h, "head_dim": d, "hf_row_of_gguf_row": permuted_rows(h, d)} for h, d in CASES]))
