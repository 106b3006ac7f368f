#!/usr/bin/env python3
"""Converting a 1 GB safetensors file to GGUF and back: `llama3 convert` (release build) against
the same job written with the reference packages (safe_open + gguf-py's GGUFWriter, and
GGUFReader + safetensors' save_file), on the same file, in one run. Outputs are written to the
same folder; each tool's output is checked to hold the same tensor bytes. llama3 fsyncs its
output before putting it in place (an interrupted run leaves nothing); the Python peers do not,
so their times leave the write-back to the kernel.

The disk's own ceiling is measured in the same run on the same source: `dd bs=4M conv=fsync`
(plain reads and writes, then fsync) and `cp` followed by `sync` (coreutils' cp copies with
copy_file_range). No conversion that writes the file durably can beat these by much.

Usage (from the repository root):
    swift build -c release
    .venv/bin/python Tests/Benchmarks/formats-convert.py [--runs 3] [--binary .build/release/llama3]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from safetensors.numpy import save_file

PEER_TO_GGUF = """
import sys
from safetensors import safe_open
from gguf import GGUFWriter
writer = GGUFWriter(sys.argv[2], "llama")
with safe_open(sys.argv[1], "np") as f:
    for name in f.keys():
        writer.add_tensor(name, f.get_tensor(name))
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
"""

PEER_TO_SAFETENSORS = """
import sys
import numpy as np
from gguf import GGUFReader
from safetensors.numpy import save_file
reader = GGUFReader(sys.argv[1])
save_file({t.name: np.array(t.data) for t in reader.tensors}, sys.argv[2])
"""


def timed(command, then_sync=False):
    """Seconds `command` takes; with then_sync, until its output is on disk too (as llama3's is
    before it returns). Starts with no dirty pages, so no run pays for an earlier one's output."""
    os.sync()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if then_sync:
        os.sync()
    return time.perf_counter() - start


def median_times(ours, peer, runs):
    """Runs the tools alternately, so that load from other work on the machine hits both alike."""
    mine, theirs, theirs_durable = [], [], []
    timed(peer)  # untimed warm-up: the first writes of a run pay for reclaiming page cache
    timed(ours)
    for _ in range(runs):
        theirs.append(timed(peer))
        theirs_durable.append(timed(peer, then_sync=True))
        mine.append(timed(ours))
    return statistics.median(mine), statistics.median(theirs), statistics.median(theirs_durable)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", default=".build/release/llama3")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory(dir=".") as folder:
        source = os.path.join(folder, "source.safetensors")
        tensors = {f"blk.{i}.ffn_up.weight": rng.standard_normal((4096, 8192), dtype=np.float32).astype(np.float16) for i in range(16)}
        save_file(tensors, source)
        del tensors
        size = os.path.getsize(source) / 1e9
        ours_gguf, peer_gguf = os.path.join(folder, "ours.gguf"), os.path.join(folder, "peer.gguf")
        jobs = [
            ("safetensors -> GGUF", [args.binary, "convert", source, ours_gguf, "--quiet"],
             [sys.executable, "-c", PEER_TO_GGUF, source, peer_gguf]),
            ("GGUF -> safetensors", [args.binary, "convert", ours_gguf, os.path.join(folder, "ours.safetensors"), "--quiet"],
             [sys.executable, "-c", PEER_TO_SAFETENSORS, peer_gguf, os.path.join(folder, "peer.safetensors")]),
        ]
        print(f"{'job':22} {'size':>8} {'llama3 convert':>15} {'peer':>10} {'peer + sync':>12} {'ratio':>7} {'vs + sync':>10}")
        for label, ours, peer in jobs:
            t_ours, t_peer, t_durable = median_times(ours, peer, args.runs)
            print(f"{label:22} {size:6.2f}GB {t_ours:13.2f} s {t_peer:8.2f} s {t_durable:10.2f} s"
                  f" {t_peer / t_ours:6.1f}x {t_durable / t_ours:9.1f}x")
        copy = os.path.join(folder, "copy.bin")
        ceilings = [("dd bs=4M conv=fsync", ["dd", f"if={source}", f"of={copy}", "bs=4M", "conv=fsync"], False),
                    ("cp + sync", ["cp", source, copy], True)]
        for label, command, then_sync in ceilings:
            times = []
            for _ in range(args.runs):
                if os.path.exists(copy):
                    os.remove(copy)
                times.append(timed(command, then_sync=then_sync))
            print(f"disk ceiling, {label:20} {size:6.2f}GB {statistics.median(times):13.2f} s")
        os.remove(copy)
        check = subprocess.run([sys.executable, "-c", """
import sys
from gguf import GGUFReader
a, b = GGUFReader(sys.argv[1]), GGUFReader(sys.argv[2])
assert [t.name for t in a.tensors] == [t.name for t in b.tensors]
assert all(x.data.tobytes() == y.data.tobytes() for x, y in zip(a.tensors, b.tensors))
print("same tensor bytes in both GGUF outputs")
""", ours_gguf, peer_gguf], capture_output=True, text=True)
        print(check.stdout.strip() or check.stderr.strip())


if __name__ == "__main__":
    main()
