#!/usr/bin/env python3
"""Tokenizer speed against tiktoken, in one run on the same text.

  swift build -c release && .venv/bin/python Tests/Benchmarks/tokenizer.py [--megabytes 8] [--binary PATH]

Measures, on a corpus of real text (the Python standard library's sources and docs, a fixed
selection, plus the multilingual golden texts), cut to --megabytes:
  - single-thread throughput: `llama3 count --threads 1 FILE` (the whole process, start-up
    included) against tiktoken 0.14's encode_ordinary on the same text (load time excluded), best of 3 each,
    and checks that the two counts are equal;
  - `llama3 count --threads 1 --jsonl-field text` on JSON lines holding the same text cut into
    lines of 300, 1000 and 4000 characters (UTF-8 JSON, not ASCII-escaped), against plain
    `count --threads 1` on the text as a file, best of 5 each, alternating, and the ratio of
    their speeds by wall time and by CPU time (user + system: on a shared machine, waiting for a
    core is left out); the JSON-lines total is checked against tiktoken's counts of the lines;
  - scaling with --threads 1, 2, ... up to the cores;
  - peak memory (max RSS, from GNU time) of `llama3 count` and of `llama3 tokenize` (output to
    a file, checked to be tiktoken's ids);
  - latency of `echo hello | llama3 count` with a warm vocabulary cache (median of 30 runs).
--binary measures another build (say, an older commit's) with the same corpus.
--instructions also counts the instructions of the JSON-lines and plain runs with valgrind
(callgrind) on the last 2 MB of the corpus (Python sources and docs: the golden texts at its
start hold runs of thousands of letters whose merging would hide the JSON overhead): a figure
that does not move with the load of a shared machine.
"""
import argparse
import json
import os
import pathlib
import resource
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
    """The corpus as one string."""
    stdlib = pathlib.Path(sysconfig.get_paths()["stdlib"])
    parts = [json.loads(line)["text"] for line in (ROOT / "Fixtures/tokenizer/encoding.jsonl").read_text().splitlines()]
    for path in sorted(stdlib.rglob("*")):
        if path.suffix in (".py", ".txt", ".rst") and "test" not in path.parts and path.is_file():
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
        if sum(len(p) for p in parts) > megabytes * 1_000_000:
            break
    text = "".join(parts).encode("utf-8")[: megabytes * 1_000_000].decode("utf-8", errors="ignore")
    return text


def json_lines(text, characters):
    """`text` cut into lines of `characters` characters, as {"text": ...} JSON lines."""
    pieces = [text[start:start + characters] for start in range(0, len(text), characters)]
    lines = "".join(json.dumps({"text": piece}, ensure_ascii=False) + "\n" for piece in pieces)
    return pieces, lines.encode("utf-8")


def run(arguments, stdin=None):
    """Runs a command; returns (seconds, stdout, CPU seconds). The CPU time (user + system, from
    the resource usage of reaped children) leaves out waiting for a core on a loaded machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(arguments, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(stdin)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.exit(f"{arguments} failed: {err.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, out.decode(), cpu


def max_rss_kib(arguments, stdout=None):
    """Peak RSS from GNU time (installed by scripts/setup.sh): a child forked from this Python
    process would report Python's own pages in its ru_maxrss. Output goes to `stdout` (a path)."""
    with open(stdout or os.devnull, "wb") as out:
        result = subprocess.run(["/usr/bin/time", "-f", "%M"] + arguments, stdout=out,
                                stderr=subprocess.PIPE, check=True)
    return int(result.stderr.decode().strip().splitlines()[-1])


def jsonl_ratios(enc, text, path, base, folder, runs=5):
    """`count --jsonl-field text` against plain `count` on the same text, one thread each: best of
    `runs`, alternating; the ratio of speeds by wall time and by CPU time."""
    megabytes = len(text.encode("utf-8")) / 1e6
    for characters in (300, 1000, 4000):
        pieces, lines = json_lines(text, characters)
        jsonl_path = pathlib.Path(folder) / f"lines-{characters}.jsonl"
        jsonl_path.write_bytes(lines)
        expected = sum(len(ids) for ids in enc.encode_ordinary_batch(pieces, num_threads=1))
        plain = [float("inf")] * 2
        jsonl = [float("inf")] * 2
        for _ in range(runs):
            seconds, _, cpu = run(base + ["--threads", "1", str(path)])
            plain = [min(plain[0], seconds), min(plain[1], cpu)]
            seconds, out, cpu = run(base + ["--threads", "1", "--jsonl-field", "text", str(jsonl_path)])
            jsonl = [min(jsonl[0], seconds), min(jsonl[1], cpu)]
        ours = int(out.split("\t")[0])
        print(f"count --jsonl-field text, {len(pieces)} lines of {characters} chars: {megabytes / jsonl[0]:5.1f} MB/s"
              f" ({jsonl[0]:.3f} s, CPU {jsonl[1]:.3f} s) vs plain count {megabytes / plain[0]:5.1f} MB/s"
              f" ({plain[0]:.3f} s, CPU {plain[1]:.3f} s): ratio {plain[0] / jsonl[0]:.2f}x (CPU {plain[1] / jsonl[1]:.2f}x)"
              + ("" if ours == expected else f"  MISMATCH: {ours} tokens, tiktoken {expected}"))


def instructions(arguments):
    """Instructions executed by a command (start-up included), counted by callgrind."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + arguments,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    for line in result.stderr.decode().splitlines():
        if "Collected :" in line:
            return int(line.split()[-1])
    sys.exit(f"no instruction count from callgrind for {arguments}")


def jsonl_instruction_ratios(text, base, folder):
    """The JSON-lines overhead in instructions, on the last 2 MB of the corpus."""
    tail = text.encode("utf-8")[-2_000_000:].decode("utf-8", errors="ignore")
    path = pathlib.Path(folder) / "tail.txt"
    path.write_bytes(tail.encode("utf-8"))
    plain = instructions(base + ["--threads", "1", str(path)])
    for characters in (300, 1000, 4000):
        jsonl_path = pathlib.Path(folder) / f"tail-{characters}.jsonl"
        jsonl_path.write_bytes(json_lines(tail, characters)[1])
        ours = instructions(base + ["--threads", "1", "--jsonl-field", "text", str(jsonl_path)])
        print(f"instructions, last 2 MB, lines of {characters} chars: {ours / 1e6:.1f} M vs plain count"
              f" {plain / 1e6:.1f} M: ratio {plain / ours:.2f}x")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=8)
    parser.add_argument("--vocab", default=os.path.expanduser("~/.local/share/llama3/tokenizer.model"))
    parser.add_argument("--binary", default=str(BINARY))
    parser.add_argument("--instructions", action="store_true")
    options = parser.parse_args()
    text = corpus(options.megabytes)
    data = text.encode("utf-8")
    megabytes = len(data) / 1e6
    enc = tiktoken.Encoding("llama3", pat_str=PATTERN, mergeable_ranks=load_tiktoken_bpe(options.vocab), special_tokens={})
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "corpus.txt"
        path.write_bytes(data)
        binary = options.binary
        base = [binary, "count", "--vocab", options.vocab]
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
        jsonl_ratios(enc, text, path, base, folder)
        if options.instructions:
            jsonl_instruction_ratios(text, base, folder)
        cores = os.cpu_count() or 1
        for threads in sorted({1, 2, cores}):
            seconds, out, _ = min(run(base + ["--threads", str(threads), str(path)]) for _ in range(3))
            print(f"llama3 count --threads {threads:<3d} {megabytes / seconds:7.1f} MB/s  ({seconds:.3f} s)"
                  f"  count {out.split(chr(9))[0]}")
        rss = max_rss_kib(base + [str(path)])
        print(f"peak RSS of llama3 count:    {rss / 1024:.1f} MiB  (/usr/bin/time -f %M {' '.join(base)} FILE)")
        tokenize = [binary, "tokenize", "--vocab", options.vocab, str(path)]
        ids_path = pathlib.Path(folder) / "ids.txt"
        rss = max_rss_kib(tokenize, stdout=ids_path)
        same = ids_path.read_text() == " ".join(map(str, enc.encode_ordinary(text))) + "\n"
        print(f"peak RSS of llama3 tokenize: {rss / 1024:.1f} MiB  (/usr/bin/time -f %M {' '.join(tokenize[:-1])} FILE > ids)"
              + ("  ids equal tiktoken's" if same else "  IDS DIFFER FROM TIKTOKEN'S"))
        latencies = []
        for _ in range(30):
            seconds, _, _ = run(base, stdin=b"hello\n")
            latencies.append(seconds)
        print(f"echo hello | llama3 count: median {statistics.median(latencies) * 1000:.1f} ms"
              f" (min {min(latencies) * 1000:.1f} ms, warm cache)")


if __name__ == "__main__":
    main()
