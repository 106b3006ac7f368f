#!/usr/bin/env python3
"""Opening and listing model files: `llama3 inspect --json` (release build) against gguf-py's
GGUFReader and safetensors' safe_open, on the same files, in one run.

Files, made here in a temporary folder (sparse: they take almost no disk):
  - sparse-8b.gguf: the 291 tensors of a Llama 3 8B layout in F16 (16 GB), small metadata;
  - sparse-8b.safetensors: the same tensors in BF16 (16 GB);
  - vocab-128k.gguf: a full-size vocabulary (128,256 tokens, token types, 280,147 merges) and
    two small tensors, the metadata shape of a real Llama 3 GGUF.
Each tool runs as a fresh process, as a shell user would run it (interpreter start included for
Python; the in-process time of the Python reader is printed too). Median of --runs runs.

Usage (from the repository root):
    swift build -c release
    .venv/bin/python Tests/Benchmarks/formats-open.py [--runs 5] [--binary .build/release/llama3]
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np
from gguf import GGUFWriter, GGMLQuantizationType as Q

LAYERS, DIM, FFN, VOCAB, KV = 32, 4096, 14336, 128256, 1024


def llama_8b_tensors():
    """(name, shape row-major) of the Llama 3 8B GGUF layout."""
    tensors = [("token_embd.weight", (VOCAB, DIM)), ("output_norm.weight", (DIM,)), ("output.weight", (VOCAB, DIM))]
    for i in range(LAYERS):
        p = f"blk.{i}."
        tensors += [
            (p + "attn_norm.weight", (DIM,)), (p + "attn_q.weight", (DIM, DIM)), (p + "attn_k.weight", (KV, DIM)),
            (p + "attn_v.weight", (KV, DIM)), (p + "attn_output.weight", (DIM, DIM)), (p + "ffn_norm.weight", (DIM,)),
            (p + "ffn_gate.weight", (FFN, DIM)), (p + "ffn_up.weight", (FFN, DIM)), (p + "ffn_down.weight", (DIM, FFN)),
        ]
    return tensors


def sparse_gguf(path):
    writer = GGUFWriter(path, "llama")
    writer.add_block_count(LAYERS)
    writer.add_context_length(8192)
    writer.add_embedding_length(DIM)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(32)
    writer.add_head_count_kv(8)
    writer.add_rope_dimension_count(128)
    writer.add_rope_freq_base(500000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    total = 0
    for name, shape in llama_8b_tensors():
        nbytes = int(np.prod(shape)) * 2
        writer.add_tensor_info(name, shape, np.dtype(np.float16), nbytes)
        total += (nbytes + 31) // 32 * 32
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    writer.close()
    data_start = (os.path.getsize(path) + 31) // 32 * 32
    os.truncate(path, data_start + total)


def sparse_safetensors(path):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape in llama_8b_tensors():
        nbytes = int(np.prod(shape)) * 2
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw)
    os.truncate(path, 8 + len(raw) + offset)


def vocabulary_gguf(path):
    writer = GGUFWriter(path, "llama")
    writer.add_tokenizer_model("gpt2")
    tokens = [("tok%06d\u0120\u00e9" % i) for i in range(VOCAB)]
    writer.add_token_list(tokens)
    writer.add_token_types([1] * 128000 + [3] * 256)
    writer.add_token_merges([f"tok{i:06d} tok{i + 1:06d}" for i in range(280147)])
    writer.add_tensor("token_embd.weight", np.zeros((16, 32), dtype=np.float32))
    writer.add_tensor("output_norm.weight", np.ones(32, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


GGUF_PEER = """
import sys, time
t = time.perf_counter()
from gguf import GGUFReader
r = GGUFReader(sys.argv[1])
listing = [(t.name, t.tensor_type.name, list(t.shape), int(t.data_offset), int(t.n_bytes)) for t in r.tensors]
keys = list(r.fields)
print(len(listing), len(keys), f"{time.perf_counter() - t:.4f}", file=sys.stderr)
"""

SAFETENSORS_PEER = """
import sys, time
t = time.perf_counter()
from safetensors import safe_open
with safe_open(sys.argv[1], "np") as f:
    listing = [(k, f.get_slice(k).get_dtype(), f.get_slice(k).get_shape()) for k in f.keys()]
    meta = f.metadata()
print(len(listing), f"{time.perf_counter() - t:.4f}", file=sys.stderr)
"""


def timed(command, runs):
    times, inner = [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # inspect exits 1 when the layout analysis finds problems (the report is still made);
        # anything else is a failure of the benchmark.
        ours = command[0] != sys.executable
        if not (result.returncode == 0 or (ours and result.returncode == 1 and "problem" in result.stderr)):
            raise SystemExit(f"{command} failed: {result.stderr}")
        times.append(time.perf_counter() - start)
        words = result.stderr.split()
        if words:
            inner.append(float(words[-1]))
    return statistics.median(times), (statistics.median(inner) if inner else None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", default=".build/release/llama3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=".") as folder:
        files = {
            "sparse-8b.gguf": sparse_gguf,
            "sparse-8b.safetensors": sparse_safetensors,
            "vocab-128k.gguf": vocabulary_gguf,
        }
        for name, make in files.items():
            make(os.path.join(folder, name))
        print(f"{'file':24} {'size':>10} {'llama3 inspect':>15} {'peer (process)':>15} {'peer (in-process)':>18} {'ratio':>7}")
        for name in files:
            path = os.path.join(folder, name)
            ours, _ = timed([args.binary, "inspect", path, "--json"], args.runs)
            peer_script = GGUF_PEER if name.endswith(".gguf") else SAFETENSORS_PEER
            theirs, inner = timed([sys.executable, "-c", peer_script, path], args.runs)
            size = os.path.getsize(path) / 1e9
            print(f"{name:24} {size:8.2f}GB {ours * 1000:13.1f}ms {theirs * 1000:13.1f}ms {inner * 1000:16.1f}ms {theirs / ours:6.1f}x")


if __name__ == "__main__":
    main()
