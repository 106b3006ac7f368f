#!/usr/bin/env python3
"""Start-up: how long a whole `llama3` process takes for the smallest jobs, next to the peers'
start-up on the same jobs, in one run.

Jobs (each a fresh process, median of --runs; wall time and CPU time, user + system, from the
children's rusage, since CPU time moves less than wall time on a loaded machine):
  - `llama3 --version`: the binary's own start (runtime, argument parser) and nothing else;
  - `echo hello | llama3 count` with a warm vocabulary cache (the cache is made by a first run);
    peer: tiktoken 0.14 loading the official tokenizer.model and counting the same line;
  - `llama3 inspect --json vocab-128k.gguf`: a GGUF whose header holds a full Llama 3-sized
    vocabulary (128,256 tokens, 280,147 merges; Tests/Benchmarks/formats-open.py makes it);
    peer: gguf-py's GGUFReader opening it and listing its tensors and keys.
--compare BINARY times a second llama3 build beside the first (for example a dynamically linked
`swift build -c release` against the static one scripts/install.sh makes).

Usage (from the repository root, after `bash scripts/install.sh` or `swift build -c release`):
    .venv/bin/python Tests/Benchmarks/startup.py [--runs 30] [--binary .build/release/llama3]
        [--compare OTHER_LLAMA3] [--vocab ~/.local/share/llama3/tokenizer.model]
"""
import argparse
import importlib.util
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent

TIKTOKEN_PEER = """
import sys
from tiktoken.load import load_tiktoken_bpe
import tiktoken
pattern = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
           r"|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+")
enc = tiktoken.Encoding(name="llama3", pat_str=pattern, mergeable_ranks=load_tiktoken_bpe(sys.argv[1]),
                        special_tokens={})
print(len(enc.encode_ordinary(sys.stdin.read())))
"""

GGUF_PEER = """
import sys
from gguf import GGUFReader
r = GGUFReader(sys.argv[1])
print(len([(t.name, t.tensor_type.name, list(t.shape)) for t in r.tensors]), len(list(r.fields)))
"""


def formats_open():
    spec = importlib.util.spec_from_file_location("formats_open", HERE / "formats-open.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(command, runs, stdin=None, ok=(0,)):
    """Median wall and CPU seconds of `runs` fresh processes, and the last stdout."""
    walls, cpus, out = [], [], b""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if result.returncode not in ok:
            raise SystemExit(f"{command} failed ({result.returncode}): {result.stderr.decode()}")
        out = result.stdout
    return statistics.median(walls), statistics.median(cpus), out


def row(label, wall, cpu, note=""):
    print(f"{label:52} {wall * 1000:8.1f} ms {cpu * 1000:8.1f} ms  {note}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--binary", default=".build/release/llama3")
    parser.add_argument("--compare", help="a second llama3 binary to time beside --binary")
    parser.add_argument("--vocab", default=os.path.expanduser(
        os.environ.get("XDG_DATA_HOME", "~/.local/share") + "/llama3/tokenizer.model"))
    args = parser.parse_args()
    binaries = [args.binary] + ([args.compare] if args.compare else [])
    print(f"load average before: {os.getloadavg()[0]:.1f}; median of {args.runs} runs")
    print(f"{'job':52} {'wall':>11} {'CPU':>11}")
    with tempfile.TemporaryDirectory(dir=".") as folder:
        gguf = os.path.join(folder, "vocab-128k.gguf")
        formats_open().vocabulary_gguf(gguf)
        for binary in binaries:
            name = os.path.basename(binary) if len(binaries) == 1 else binary
            subprocess.run([binary, "count", "--vocab", args.vocab], input=b"hello\n", check=True,
                           stdout=subprocess.DEVNULL)  # warms the vocabulary cache
            wall, cpu, _ = timed([binary, "--version"], args.runs)
            row(f"{name} --version", wall, cpu)
            wall, cpu, out = timed([binary, "count", "--vocab", args.vocab], args.runs, stdin=b"hello\n")
            row(f"echo hello | {name} count", wall, cpu, f"count {out.decode().strip()}")
            # inspect exits 1 for the layout problems it finds in this tensor-less model; the report is made.
            wall, cpu, out = timed([binary, "inspect", "--json", gguf], args.runs, ok=(0, 1))
            row(f"{name} inspect --json vocab-128k.gguf", wall, cpu, f"{len(out)} bytes of JSON")
        runs = min(args.runs, 10)
        wall, cpu, out = timed([sys.executable, "-c", TIKTOKEN_PEER, args.vocab], runs, stdin=b"hello\n")
        row(f"tiktoken: load tokenizer.model, count (median of {runs})", wall, cpu, f"count {out.decode().strip()}")
        wall, cpu, _ = timed([sys.executable, "-c", GGUF_PEER, gguf], runs)
        row(f"gguf-py: GGUFReader on vocab-128k.gguf (median of {runs})", wall, cpu)


if __name__ == "__main__":
    main()
