#!/usr/bin/env python3
"""The reference model against llama.cpp on the same GGUFs: argmax, top-5 and KL, not raw logits
(llama.cpp rounds activations to 8 bits inside quantized products and keeps its KV cache in F16,
so its own logits move between batch and token-by-token evaluation). Not in CI: CI does not
build llama.cpp.

    swift build -c release
    .venv/bin/python Tests/Benchmarks/reference_vs_llamacpp.py [--peer-python PATH]

For the tiny random Llamas of Fixtures/reference-model/make_tiny_models.py (tied: plain RoPE,
theta 10000; llama31: Llama 3.1 rope scaling, 1 KV head; scaled: head_dim 32 on hidden 64 with 8
heads, which llama.cpp loads only through attention.key_length / value_length), converted by `llama3 convert` to F32,
Q8_0, Q4_0 and Q4_1 GGUFs: `llama3 logits --out` and llama.cpp's logits (llamacpp_logits_llama.py,
in the peer venv; $LLAMA_CPP_PYTHON, else .venv/bin/python: Tests/Benchmarks/llamacpp_peer.py) for the fixture's
40 ids. Prints, per file: positions whose argmax agrees, mean overlap of the top-5 ids, mean and
largest KL(llama.cpp || llama3), largest logit difference, and where the argmax differs, the
largest gap in llama3's own logits between its choice and llama.cpp's (a near-tie when it is
below llama.cpp's own error). Exit 1 when an F32 file's mean KL passes 1e-4 or an F32 argmax
differs where llama3's gap is larger than the largest logit difference (no near-tie).
"""
import argparse
import llamacpp_peer
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

parser = argparse.ArgumentParser()
parser.add_argument("--peer-python", default=llamacpp_peer.default_python())
parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
parser.add_argument("--variants", default="tied,llama31,scaled")
args = parser.parse_args()


def log_softmax(logits):
    shifted = logits.astype(np.float64) - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def main():
    failed = False
    print("| model | type | argmax agrees | top-5 overlap | KL mean | KL max | max abs diff | largest gap where argmax differs |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="llama3-vs-llamacpp-") as scratch:
        for variant in args.variants.split(","):
            folder = os.path.join(scratch, variant)
            subprocess.run([sys.executable, os.path.join(ROOT, "Fixtures/reference-model/make_tiny_models.py"), variant, folder],
                           check=True, capture_output=True)
            ids_path = os.path.join(folder, "ids.json")
            ids = " ".join(str(i) for i in np.array(__import__("json").load(open(ids_path))))
            for kind in ["f32", "q8_0", "q4_0", "q4_1"]:
                gguf = os.path.join(scratch, f"{variant}-{kind}.gguf")
                subprocess.run([args.binary, "convert", folder, gguf, "--type", kind, "--quiet"], check=True)
                ours_path, theirs_path = gguf + ".ours.npy", gguf + ".llamacpp.npy"
                subprocess.run([args.binary, "logits", gguf, "--ids", ids_path, "--out", ours_path], check=True)
                subprocess.run([args.peer_python, os.path.join(HERE, "llamacpp_logits_llama.py"), gguf, ids, theirs_path], check=True)
                ours, theirs = np.load(ours_path), np.load(theirs_path)
                agree = float((ours.argmax(-1) == theirs.argmax(-1)).mean())
                differ = np.nonzero(ours.argmax(-1) != theirs.argmax(-1))[0]
                gaps = [ours[i, ours[i].argmax()] - ours[i, theirs[i].argmax()] for i in differ]
                gap = max(gaps) if gaps else 0.0
                largest = float(np.abs(ours - theirs).max())
                top_ours, top_theirs = np.argsort(-ours, -1)[:, :5], np.argsort(-theirs, -1)[:, :5]
                overlap = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(top_ours, top_theirs)])
                p, q = log_softmax(theirs), log_softmax(ours)
                kl = (np.exp(p) * (p - q)).sum(-1)
                print(f"| {variant} | {kind} | {agree:.3f} | {overlap:.3f} | {kl.mean():.2e} | {kl.max():.2e} | "
                      f"{largest:.2e} | {f'{gap:.2e}' if gaps else '-'} |", flush=True)
                failed |= kind == "f32" and (kl.mean() > 1e-4 or gap > largest)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
