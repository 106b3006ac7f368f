#!/usr/bin/env python3
"""The strongest check of `llama3 convert HF_FOLDER OUT.gguf`: llama.cpp loads the GGUF and its
logits match transformers' on the original checkpoint. Not in CI (CI does not build llama.cpp).

    swift build -c release
    .venv/bin/python Tests/Benchmarks/convert_llama_logits.py [--binary .build/release/llama3] [--peer-python PYTHON]

llama.cpp runs in a Python with llama-cpp-python 0.3.36, made as Tests/Benchmarks/llamacpp_peer.py
says: --peer-python, else $LLAMA_CPP_PYTHON, else this repository's .venv/bin/python.

For each tiny random checkpoint of Fixtures/llama-convert/make_tiny_llama.py (GQA: 4 heads, 2 KV
heads, so a q/k permutation with the wrong head count shows; F32 tied, and BF16 with Llama 3.1
rope scaling and the official vocabulary), for the conversion without --type ("stored"),
`--type q8_0`, and without --type written as a split GGUF (`--split-max-size`, "split": at least
two parts, llama.cpp given part 1 as a user would): prints the max abs difference of the logits
and whether the argmax agrees at every position. Exit 1 when a "stored" or "split" conversion
differs by more than TOLERANCE or any argmax differs.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from transformers import LlamaForCausalLM

import llamacpp_peer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OFFICIAL_VOCAB = os.environ.get("LLAMA3_VOCAB") or os.path.expanduser("~/.local/share/llama3/tokenizer.model")
# llama.cpp rounds activations to BF16 for BF16 weights; transformers here computes in F32.
TOLERANCE = {"tied-small": 1e-3, "scaled-bf16": 1e-2}
# Part size for the "split" kind: a third of each model's stored size, so every model gets 3+ parts.
SPLIT_BYTES = {"tied-small": 120_000, "scaled-bf16": 12_000_000}
TOKENS = {"tied-small": [1000, 17, 300, 999, 42, 5, 812, 77], "scaled-bf16": [128000, 9906, 1917, 0, 128009, 4999, 11, 3]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
    parser.add_argument("--peer-python", default=llamacpp_peer.default_python(),
                        help=f"a Python with llama-cpp-python (default: ${llamacpp_peer.VARIABLE}, else .venv/bin/python)")
    args = parser.parse_args()
    peer_python = llamacpp_peer.checked(args.peer_python)
    failed = False
    with tempfile.TemporaryDirectory() as work:
        for variant, tokens in TOKENS.items():
            folder = os.path.join(work, variant)
            subprocess.run([sys.executable, os.path.join(ROOT, "Fixtures/llama-convert/make_tiny_llama.py"), variant, folder],
                           check=True, capture_output=True)
            model = LlamaForCausalLM.from_pretrained(folder, torch_dtype=torch.float32)
            with torch.no_grad():
                reference = model(torch.tensor([tokens])).logits[0].float().numpy()
            for kind in ["stored", "q8_0", "split"]:
                gguf = os.path.join(work, f"{variant}-{kind}.gguf")
                command = [args.binary, "convert", folder, gguf, "--quiet", "--vocab", OFFICIAL_VOCAB]
                if kind == "q8_0":
                    command += ["--type", kind]
                if kind == "split":
                    command += ["--split-max-size", str(SPLIT_BYTES[variant])]
                subprocess.run(command, check=True)
                if kind == "split":
                    parts = sorted(p for p in os.listdir(work) if p.startswith(f"{variant}-split-0"))
                    if len(parts) < 2:
                        sys.exit(f"expected a split GGUF in several parts, found {parts}")
                    gguf = os.path.join(work, parts[0])
                    print(f"{variant:12} split into {len(parts)} parts: {', '.join(parts)}")
                out = os.path.join(work, f"{variant}-{kind}.npy")
                subprocess.run([peer_python, os.path.join(ROOT, "Tests/Benchmarks/llamacpp_logits_llama.py"), gguf,
                                " ".join(map(str, tokens)), out], check=True)
                found = np.load(out)
                diff = float(np.abs(found - reference).max())
                agree = bool((found.argmax(-1) == reference.argmax(-1)).all())
                print(f"{variant:12} {kind:5} max|llama.cpp - transformers| = {diff:.2e} "
                      f"(logit scale {np.abs(reference).max():.2f}), argmax agrees at all {len(tokens)} positions: {agree}")
                failed |= not agree or (kind != "q8_0" and diff > TOLERANCE[variant])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
