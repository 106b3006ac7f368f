"""Writes small PyTorch checkpoints with torch.save, for the tests that a file the tool does not read
is named for what it is (Tests/CLITests/FileKindTests.swift):
  model.pth        torch.save's zip format (PyTorch >= 1.6)
  legacy.bin       the legacy pickle format (_use_new_zipfile_serialization=False)
  meta/            Meta's original layout: params.json and consolidated.00.pth

Run at test time (nothing it writes is committed):
    .venv/bin/python Fixtures/pytorch/make_checkpoints.py OUT_FOLDER
"""
import json
import os
import sys

import torch


def main():
    folder = sys.argv[1]
    os.makedirs(os.path.join(folder, "meta"), exist_ok=True)
    generator = torch.Generator().manual_seed(3)
    state = {"tok_embeddings.weight": torch.randn(16, 8, generator=generator).to(torch.bfloat16),
             "norm.weight": torch.ones(8)}
    torch.save(state, os.path.join(folder, "model.pth"))
    torch.save(state, os.path.join(folder, "legacy.bin"), _use_new_zipfile_serialization=False)
    torch.save(state, os.path.join(folder, "meta", "consolidated.00.pth"))
    params = {"dim": 8, "n_layers": 0, "n_heads": 2, "n_kv_heads": 1, "vocab_size": 16, "multiple_of": 8,
              "ffn_dim_multiplier": 1.0, "norm_eps": 1e-5, "rope_theta": 500000.0, "use_scaled_rope": False}
    with open(os.path.join(folder, "meta", "params.json"), "w") as out:
        json.dump(params, out)


if __name__ == "__main__":
    main()
