#!/usr/bin/env python3
"""What quantization costs: F32 against Q8_0, Q4_0 and Q4_1 (uniform files, `quantize --pure`),
measured with `llama3 compare` (kl_mean, kl_max, top1_agreement against the F32 file) and
`llama3 perplexity`, beside llama.cpp's own figures on the same files (llama-cpp-python 0.3.36,
logits_all: the same KL, top-1 and perplexity computed from its logits by llamacpp_cost_side.py).
Makes the table in Docs/REFERENCE_MODEL.md. Not in CI (it needs llama.cpp).

    swift build -c release --product llama3
    .venv/bin/python Tests/Benchmarks/quantization_cost.py [--peer-python PATH]

Models:
  wide     Fixtures/reference-model/make_tiny_models.py's random Llama with every row a multiple
           of 256 (hidden 256, FFN 512, 4 heads of 64, 2 KV heads, 2 layers, vocabulary 1256),
           converted to F32 by `llama3 convert`. Random weights: its perplexity only compares
           the types with each other.
  trained  Fixtures/reference-model/llamacpp-converted/model-f32.gguf: a small Llama trained on
           licence texts (make_llamacpp_converted.py; no PyPI package ships a real small Llama),
           as llama.cpp's converter wrote it in F32 (hidden 64, FFN 192, head_dim 64).
Ids: the held-out text of that fixture (eval-ids.json): the first --compare-ids as one sequence
for compare, the first --perplexity-ids in windows of --context for perplexity (the trained model
saw windows of 64 ids). Every quantized file is `llama3 quantize F32.gguf Q.gguf --type T --pure`.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import llamacpp_peer
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURE = os.path.join(ROOT, "Fixtures/reference-model/llamacpp-converted")
BOS = 1000
TYPES = ["q8_0", "q4_0", "q4_1"]

parser = argparse.ArgumentParser()
parser.add_argument("--peer-python", default=llamacpp_peer.default_python())
parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
parser.add_argument("--compare-ids", type=int, default=512)
parser.add_argument("--perplexity-ids", type=int, default=4096)
parser.add_argument("--context", type=int, default=64)
parser.add_argument("--models", default="wide,trained")
args = parser.parse_args()


def log_softmax(logits):
    shifted = logits.astype(np.float64) - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def llama3(*arguments):
    return subprocess.run([args.binary, *arguments], check=True, capture_output=True, text=True).stdout


def f32_file(model, scratch):
    if model == "trained":
        return os.path.join(FIXTURE, "model-f32.gguf")
    folder = os.path.join(scratch, model)
    subprocess.run([sys.executable, os.path.join(ROOT, "Fixtures/reference-model/make_tiny_models.py"), model, folder],
                   check=True, capture_output=True)
    path = os.path.join(scratch, f"{model}-f32.gguf")
    llama3("convert", folder, path, "--type", "f32", "--quiet")
    return path


def llamacpp(path, compare_ids, perplexity_ids, out):
    result = subprocess.run([args.peer_python, os.path.join(HERE, "llamacpp_cost_side.py"), path, compare_ids,
                             perplexity_ids, str(args.context), str(BOS), out], check=True, capture_output=True, text=True)
    return float(result.stdout.strip().splitlines()[-1]), np.load(out)


def divergence(reference, other):
    p, q = log_softmax(reference), log_softmax(other)
    kl = (np.exp(p) * (p - q)).sum(-1)
    return kl.mean(), kl.max(), float((reference.argmax(-1) == other.argmax(-1)).mean())


def main():
    llamacpp_peer.checked(args.peer_python)
    held_out = json.load(open(os.path.join(FIXTURE, "eval-ids.json")))
    print(f"ids: compare {args.compare_ids} (one sequence), perplexity {args.perplexity_ids} in windows of {args.context}")
    print("| model | type | MiB | llama3 KL mean | llama3 KL max | llama3 top-1 | llama3 PPL "
          "| llama.cpp KL mean | llama.cpp KL max | llama.cpp top-1 | llama.cpp PPL |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="llama3-quantization-cost-") as scratch:
        compare_ids, perplexity_ids = os.path.join(scratch, "compare.json"), os.path.join(scratch, "perplexity.json")
        json.dump(held_out[:args.compare_ids], open(compare_ids, "w"))
        json.dump(held_out[:args.perplexity_ids], open(perplexity_ids, "w"))
        for model in args.models.split(","):
            reference = f32_file(model, scratch)
            their_reference_ppl, their_reference = llamacpp(reference, compare_ids, perplexity_ids,
                                                            os.path.join(scratch, f"{model}-f32.npy"))
            for kind in ["f32"] + TYPES:
                path = reference
                if kind != "f32":
                    path = os.path.join(scratch, f"{model}-{kind}.gguf")
                    llama3("quantize", reference, path, "--type", kind, "--pure", "--quiet")
                ours = json.loads(llama3("compare", reference, path, "--ids", compare_ids, "--json"))
                our_ppl = json.loads(llama3("perplexity", path, "--ids", perplexity_ids, "--context",
                                            str(args.context), "--json"))["perplexity"]
                if kind == "f32":
                    their_ppl, theirs = their_reference_ppl, their_reference
                else:
                    their_ppl, theirs = llamacpp(path, compare_ids, perplexity_ids, path + ".npy")
                kl_mean, kl_max, top1 = divergence(their_reference, theirs)
                size = os.path.getsize(path) / 2**20
                print(f"| {model} | {kind.upper()} | {size:.2f} | {ours['kl_mean']:.2e} | {ours['kl_max']:.2e} | "
                      f"{ours['top1_agreement']:.3f} | {our_ppl:.3f} | {kl_mean:.2e} | {kl_max:.2e} | {top1:.3f} | "
                      f"{their_ppl:.3f} |", flush=True)


if __name__ == "__main__":
    main()
