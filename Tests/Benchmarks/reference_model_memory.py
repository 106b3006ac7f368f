#!/usr/bin/env python3
"""Peak memory of `llama3 logits` on a Llama 3 8B-shaped Q8_0 GGUF (about 8.5 GB).

The file is sparse: its header is written by gguf-py (Llama 3 8B: 32 layers, dim 4096, 32 heads,
8 KV heads, FFN 14336, vocabulary 128256; every matrix Q8_0, norms F32) and its data is a hole,
so it costs a few KB of disk; all-zero Q8_0 blocks are valid (scale 0) and the forward pass reads
every byte of them as it would real weights. While `llama3 logits FILE --tokens ... --top 1` runs,
/proc/PID/status is sampled: RssAnon is the memory the process allocated (activations, KV cache,
scratch), RssFile the pages of the mapped file it has touched (the page cache's, which the kernel
can drop and re-read; the model is never copied).

    swift build -c release
    .venv/bin/python Tests/Benchmarks/reference_model_memory.py [--tokens 8] [--threads 2]
"""
import argparse
import os
import subprocess
import tempfile
import time

import gguf
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
parser.add_argument("--tokens", type=int, default=8)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()

LAYERS, DIM, HEADS, KV_HEADS, HEAD_DIM, FFN, VOCAB = 32, 4096, 32, 8, 128, 14336, 128256
STEMS = {"attn_norm": [DIM], "attn_q": [HEADS * HEAD_DIM, DIM], "attn_k": [KV_HEADS * HEAD_DIM, DIM],
         "attn_v": [KV_HEADS * HEAD_DIM, DIM], "attn_output": [DIM, HEADS * HEAD_DIM], "ffn_norm": [DIM],
         "ffn_gate": [FFN, DIM], "ffn_up": [FFN, DIM], "ffn_down": [DIM, FFN]}


def layout():
    tensors = [("token_embd.weight", [VOCAB, DIM])]
    for n in range(LAYERS):
        tensors += [(f"blk.{n}.{stem}.weight", shape) for stem, shape in STEMS.items()]
    return tensors + [("output_norm.weight", [DIM]), ("output.weight", [VOCAB, DIM])]


def write_q8_model(path):
    layers, dim, heads, kv_heads, head_dim, ffn, context = LAYERS, DIM, HEADS, KV_HEADS, HEAD_DIM, FFN, 8192
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_context_length(context)
    writer.add_embedding_length(dim)
    writer.add_block_count(layers)
    writer.add_feed_forward_length(ffn)
    writer.add_rope_dimension_count(head_dim)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_rope_freq_base(500000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(VOCAB)
    sizes = []
    for name, shape in layout():
        if len(shape) == 1:
            size, kind = int(np.prod(shape)) * 4, gguf.GGMLQuantizationType.F32
        else:
            size, kind = int(np.prod(shape)) // 32 * 34, gguf.GGMLQuantizationType.Q8_0
        writer.add_tensor_info(name, shape, np.dtype(np.float16), size, raw_dtype=kind)
        sizes.append(size)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    out = writer.fout[0]
    writer.write_padding(out, out.tell())
    data_offset = out.tell()
    writer.close()
    os.truncate(path, data_offset + sum(gguf.GGUFWriter.ggml_pad(size, 32) for size in sizes))
    return os.path.getsize(path)


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def main():
    with tempfile.TemporaryDirectory(prefix="llama3-memory-") as scratch:
        path = os.path.join(scratch, "sparse-8b-q8_0.gguf")
        size = write_q8_model(path)
        ids = " ".join(str(i) for i in range(1, args.tokens + 1))
        start = time.perf_counter()
        process = subprocess.Popen([args.binary, "logits", path, "--tokens", ids, "--top", "1", "--threads", str(args.threads)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak_anon = peak_file = 0
        while process.poll() is None:
            peak_anon = max(peak_anon, status_kib(process.pid, "RssAnon"))
            peak_file = max(peak_file, status_kib(process.pid, "RssFile"))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        error = process.stderr.read().decode()
        if process.returncode != 0:
            raise SystemExit(f"llama3 logits failed: {error}")
        print(f"file: {size / 2**30:.2f} GiB sparse Q8_0 (Llama 3 8B layout); {args.tokens} tokens, {args.threads} threads")
        print(f"peak RssAnon (allocated): {peak_anon / 2**20:.2f} GiB; peak RssFile (mapped file pages): "
              f"{peak_file / 2**20:.2f} GiB; wall {seconds:.1f} s")


if __name__ == "__main__":
    main()
