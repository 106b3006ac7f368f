#!/usr/bin/env python3
"""Peak memory of `llama3 convert` on a Meta folder with Llama 3 70B's widths in 8 model-parallel
ranks (dim 8192, 64 heads, 8 KV heads, FFN 28672, 2 layers: 433 MB per rank, 3.4 GB in all),
made by Fixtures/pytorch/make_wide_meta.py. While the conversion runs, /proc/PID/status is
sampled: RssAnon is the memory the process allocated, RssFile the pages of the mapped ranks it has
touched (the page cache's; nothing is copied). Converted as it is (BF16 copied, the row-parallel
wo and w2 written row by row from all eight ranks) and to Q8_0 (whose whole rows are gathered
from the ranks in batches of 16 MiB before quantizing).

    swift build -c release
    .venv/bin/python Tests/Benchmarks/meta_merge_memory.py [--folder EXISTING_META_FOLDER] [--binary PATH]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
parser.add_argument("--folder", help="a folder make_wide_meta.py made (else one is made in a temporary folder)")
args = parser.parse_args()


def status_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        return 0
    return 0


def measure(command):
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    anon = mapped = 0
    while process.poll() is None:
        anon = max(anon, status_kib(process.pid, "RssAnon"))
        mapped = max(mapped, status_kib(process.pid, "RssFile"))
        time.sleep(0.02)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return anon, mapped, time.monotonic() - start


with tempfile.TemporaryDirectory(prefix="llama3-meta-memory-") as scratch:
    folder = args.folder
    if folder is None:
        folder = os.path.join(scratch, "meta")
        subprocess.run([sys.executable, os.path.join(ROOT, "Fixtures/pytorch/make_wide_meta.py"), "make", folder], check=True)
    rank_bytes = os.path.getsize(os.path.join(folder, "consolidated.00.pth"))
    vocab = os.path.join(ROOT, "Fixtures/tokenizer/small-tokenizer.json")
    print(f"one rank: {rank_bytes / 2**20:.0f} MiB; binary {args.binary}")
    print("| conversion | peak RssAnon | peak RssFile | wall |")
    print("|---|---|---|---|")
    for label, extra in [("BF16 copy to GGUF", []), ("--type q8_0", ["--type", "q8_0"])]:
        out = os.path.join(scratch, "out.gguf")
        anon, mapped, wall = measure([args.binary, "convert", folder, out, "--quiet", "--vocab", vocab] + extra)
        os.remove(out)
        print(f"| {label} | {anon / 1024:.1f} MiB | {mapped / 1024:.0f} MiB | {wall:.1f} s |")
