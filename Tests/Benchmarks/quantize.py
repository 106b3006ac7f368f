#!/usr/bin/env python3
"""Quantization throughput, file to file: `llama3 quantize` against llama.cpp's quantizer.

Builds a ~1 GB Llama-shaped F32 GGUF with gguf-py (in a temporary folder, deleted afterwards),
then for each --types entry (default Q8_0 and Q4_0) with 1 and 2 threads times
  - the release `llama3 quantize --pure` (whole process: open, quantize, write, fsync, rename), and
  - llama.cpp's `llama_model_quantize` with `pure` set (in-process; it does not fsync),
so both write the uniform file (q4_k_m with --pure is every 2-D tensor in Q4_K);
each best of --runs, prints MB/s of F32 input and the ratio, and checks that both outputs hold
byte-identical tensors.

Setup (once): `swift build -c release`, and a Python with llama-cpp-python 0.3.36 (the peer), made
as Tests/Benchmarks/llamacpp_peer.py says.
Run from the repository root:
    .venv/bin/python Tests/Benchmarks/quantize.py [--peer-python PYTHON] [--runs 3] [--types q4_k_m,q6_k]
The peer's Python is --peer-python, else $LLAMA_CPP_PYTHON, else this repository's .venv/bin/python.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import llamacpp_peer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

parser = argparse.ArgumentParser()
parser.add_argument("--peer-python", default=llamacpp_peer.default_python(),
                    help=f"a Python with llama-cpp-python (default: ${llamacpp_peer.VARIABLE}, else .venv/bin/python)")
parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--types", default="q8_0,q4_0", help="comma-separated --type names (pure files)")
parser.add_argument("--layers", type=int, default=3)
parser.add_argument("--folder", default=None, help="where to put the ~1.7 GB of files (default: a temporary folder)")
args = parser.parse_args()
args.peer_python = llamacpp_peer.checked(args.peer_python)


def ours(src, dst, kind, threads):
    start = time.perf_counter()
    subprocess.run([args.binary, "quantize", src, dst, "--type", kind, "--pure", "--threads", str(threads), "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def peer(src, dst, kind, threads):
    out = subprocess.run([args.peer_python, os.path.join(HERE, "quantize_llamacpp.py"), src, dst, kind, str(threads)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.strip())


def best(fn, *fn_args):
    return min(fn(*fn_args) for _ in range(args.runs))


with tempfile.TemporaryDirectory(dir=args.folder) as folder:
    src = os.path.join(folder, "llama-f32.gguf")
    subprocess.run([sys.executable, os.path.join(HERE, "make_llama_f32_gguf.py"), src, "--layers", str(args.layers)], check=True)
    size = os.path.getsize(src)
    with open(src, "rb") as f:  # warm the page cache for both tools alike
        while f.read(1 << 24):
            pass
    print(f"input: {size / 1e6:.0f} MB F32 GGUF, {os.cpu_count()} cores, best of {args.runs}")
    print(f"{'type':6} {'threads':>7} {'llama3 MB/s':>12} {'llama.cpp MB/s':>15} {'ratio':>7}  outputs")
    for kind in args.types.split(","):
        for threads in (1, 2):
            a, b = os.path.join(folder, f"ours-{kind}.gguf"), os.path.join(folder, f"peer-{kind}.gguf")
            t_ours = best(ours, src, a, kind, threads)
            t_peer = best(peer, src, b, kind, threads)
            same = subprocess.run([sys.executable, os.path.join(HERE, "compare_tensors.py"), a, b],
                                  capture_output=True, text=True)
            verdict = "identical tensors" if same.returncode == 0 else same.stdout.strip()
            print(f"{kind:6} {threads:>7} {size / t_ours / 1e6:>12.0f} {size / t_peer / 1e6:>15.0f} "
                  f"{t_peer / t_ours:>6.2f}x  {verdict}")
            os.remove(a)
            os.remove(b)
