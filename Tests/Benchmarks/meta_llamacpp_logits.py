#!/usr/bin/env python3
"""llama.cpp runs the GGUF `llama3 convert` makes from Meta's original folder: its logits match
transformers' for the same model. Not in CI (CI does not build llama.cpp).

    swift build
    .venv/bin/python Tests/Benchmarks/meta_llamacpp_logits.py [--binary .build/debug/llama3] [--peer-python PYTHON]

llama.cpp runs in a Python with llama-cpp-python 0.3.36 (Tests/Benchmarks/llamacpp_peer.py says
how): --peer-python, else $LLAMA_CPP_PYTHON, else this repository's .venv/bin/python.
Fixtures/pytorch/make_meta_checkpoints.py writes the tiny BF16 model (GQA, Llama 3.1 rope scaling,
the official vocabulary) with 1 and 2 model-parallel ranks and transformers' float32 logits; each
folder is converted without --type and with --type q8_0. Prints the max abs difference and whether
the argmax agrees at every position; exit 1 when an unquantized conversion differs by more than
1e-2 (llama.cpp rounds activations to BF16 for BF16 weights) or any argmax differs.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

import llamacpp_peer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OFFICIAL_VOCAB = os.environ.get("LLAMA3_VOCAB") or os.path.expanduser("~/.local/share/llama3/tokenizer.model")
TOLERANCE = 1e-2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/llama3"))
    parser.add_argument("--peer-python", default=llamacpp_peer.default_python())
    args = parser.parse_args()
    peer_python = llamacpp_peer.checked(args.peer_python)
    failed = False
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([sys.executable, os.path.join(ROOT, "Fixtures/pytorch/make_meta_checkpoints.py"), OFFICIAL_VOCAB, work],
                       check=True, capture_output=True)
        tokens = json.load(open(os.path.join(work, "ids.json")))
        reference = np.load(os.path.join(work, "logits.npy"))
        for folder in ["meta-1", "meta-2"]:
            for kind in ["stored", "q8_0"]:
                gguf = os.path.join(work, f"{folder}-{kind}.gguf")
                command = [args.binary, "convert", os.path.join(work, folder), gguf, "--quiet"]
                if kind != "stored":
                    command += ["--type", kind]
                subprocess.run(command, check=True)
                out = os.path.join(work, f"{folder}-{kind}.npy")
                subprocess.run([peer_python, os.path.join(ROOT, "Tests/Benchmarks/llamacpp_logits_llama.py"), gguf,
                                " ".join(map(str, tokens)), out], check=True)
                found = np.load(out)
                diff = float(np.abs(found - reference).max())
                agree = bool((found.argmax(-1) == reference.argmax(-1)).all())
                print(f"{folder} {kind:6} max|llama.cpp - transformers| = {diff:.2e} "
                      f"(logit scale {np.abs(reference).max():.2f}), argmax agrees at all {len(tokens)} positions: {agree}")
                failed |= not agree or (kind == "stored" and diff > TOLERANCE)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
