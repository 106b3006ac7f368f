#!/usr/bin/env python3
"""Tokenizer speed against tiktoken, in one run on the same text.

  swift build -c release && .venv/bin/python Tests/Benchmarks/tokenizer.py [--megabytes 8]

Measures, on a corpus of real text (the Python standard library's sources and docs, a fixed
selection, plus the multilingual golden texts), cut to --megabytes:
  - single-thread throughput: `llama3 count --threads 1 FILE` (the whole process, start-up
    included) against tiktoken 0.14's encode_ordinary on the same text (load time excluded), best of 3 each,
    and checks that the two counts are equal;
  - scaling with --threads 1, 2, ... up to the cores;
  - peak memory (max RSS) of `llama3 count`, from wait4's resource usage;
  - latency of `echo hello | llama3 count` with a warm vocabulary cache (median of 30 runs).
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time

import tiktoken
from tiktoken.load import load_tiktoken_bpe

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build/release/llama3"
PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
           r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")


def corpus(megabytes):
    stdlib = pathlib.Path(sysconfig.get_paths()["stdlib"])
    parts = [json.loads(line)["text"] for line in (ROOT / "Fixtures/tokenizer/encoding.jsonl").read_text().splitlines()]
    for path in sorted(stdlib.rglob("*")):
        if path.suffix in (".py", ".txt", ".rst") and "test" not in path.parts and path.is_file():
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
        if sum(len(p) for p in parts) > megabytes * 1_000_000:
            break
    text = "".join(parts).encode("utf-8")[: megabytes * 1_000_000].decode("utf-8", errors="ignore")
    return text


def run(arguments, stdin=None):
    """Runs a command; returns (seconds, stdout, None)."""
    start = time.perf_counter()
    process = subprocess.Popen(arguments, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(stdin)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"{arguments} failed: {err.decode()}")
    return seconds, out.decode(), None


def max_rss_kib(arguments):
    """Peak RSS from GNU time (installed by scripts/setup.sh): a child forked from this Python
    process would report Python's own pages in its ru_maxrss."""
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + arguments, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, check=True)
    return int(result.stderr.decode().strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=8)
    parser.add_argument("--vocab", default=os.path.expanduser("~/.local/share/llama3/tokenizer.model"))
    options = parser.parse_args()
    text = corpus(options.megabytes)
    data = text.encode("utf-8")
    megabytes = len(data) / 1e6
    enc = tiktoken.Encoding("llama3", pat_str=PATTERN, mergeable_ranks=load_tiktoken_bpe(options.vocab), special_tokens={})
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "corpus.txt"
        path.write_bytes(data)
        base = [str(BINARY), "count", "--vocab", options.vocab]
        run(base + [str(path)])  # warm the vocabulary cache and the page cache

        # Best of 3, alternating, so that both see the same machine load.
        tiktoken_seconds = ours_seconds = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            expected = len(enc.encode_ordinary(text))
            tiktoken_seconds = min(tiktoken_seconds, time.perf_counter() - start)
            seconds, out, _ = run(base + ["--threads", "1", str(path)])
            ours_seconds = min(ours_seconds, seconds)
            ours = int(out.split("\t")[0])
        print(f"text: {megabytes:.1f} MB, {expected} tokens (tiktoken) / {ours} (llama3)"
              + ("" if ours == expected else "  MISMATCH"))
        print(f"tiktoken encode_ordinary   {megabytes / tiktoken_seconds:7.1f} MB/s  ({tiktoken_seconds:.3f} s)")
        print(f"llama3 count --threads 1   {megabytes / ours_seconds:7.1f} MB/s  ({ours_seconds:.3f} s)"
              f"  ratio {tiktoken_seconds / ours_seconds:.2f}x")
        cores = os.cpu_count() or 1
        for threads in sorted({1, 2, cores}):
            seconds, out, _ = min(run(base + ["--threads", str(threads), str(path)]) for _ in range(3))
            print(f"llama3 count --threads {threads:<3d} {megabytes / seconds:7.1f} MB/s  ({seconds:.3f} s)"
                  f"  count {out.split(chr(9))[0]}")
        rss = max_rss_kib(base + [str(path)])
        print(f"peak RSS of llama3 count:  {rss / 1024:.1f} MiB")
        latencies = []
        for _ in range(30):
            seconds, _, _ = run(base, stdin=b"hello\n")
            latencies.append(seconds)
        print(f"echo hello | llama3 count: median {statistics.median(latencies) * 1000:.1f} ms"
              f" (min {min(latencies) * 1000:.1f} ms, warm cache)")


if __name__ == "__main__":
    main()
