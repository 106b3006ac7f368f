#!/usr/bin/env python3
"""Peak memory of `llama3 convert` on inputs larger than it should ever hold: a Llama 3 8B-wide
BF16 Hugging Face folder in two shards (a few layers, a few GB) converted to Q8_0 and to a split
GGUF, and that split GGUF converted back into one file.

The folder's shards are sparse: their safetensors headers are written here and their data is a
hole, so they cost no disk (zeros are valid BF16, and Q8_0 quantizes them like any value). While
each command runs, /proc/PID/status is sampled every 20 ms: RssAnon is memory the process
allocated, RssFile the pages of mapped input files it holds (what `top`'s RES adds on top of
RssAnon). The peak resident size is the kernel's own (getrusage's ru_maxrss, at exit). After
each job, util-linux's `fincore` tells how much of the output is still in the page cache.

    swift build -c release
    .venv/bin/python Tests/Benchmarks/convert-memory.py [--layers 2] [--before OTHER_BINARY]

--before runs the same jobs with a second binary (an older build) in the same run, for a
before/after table.
"""
import argparse
import json
import os
import struct
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

DIM, HEADS, KV_HEADS, HEAD_DIM, FFN, VOCAB = 4096, 32, 8, 128, 14336, 128256
LAYER_SHAPES = {
    "input_layernorm.weight": [DIM], "post_attention_layernorm.weight": [DIM],
    "self_attn.q_proj.weight": [HEADS * HEAD_DIM, DIM], "self_attn.k_proj.weight": [KV_HEADS * HEAD_DIM, DIM],
    "self_attn.v_proj.weight": [KV_HEADS * HEAD_DIM, DIM], "self_attn.o_proj.weight": [DIM, HEADS * HEAD_DIM],
    "mlp.gate_proj.weight": [FFN, DIM], "mlp.up_proj.weight": [FFN, DIM], "mlp.down_proj.weight": [DIM, FFN],
}


def write_sparse_safetensors(path, tensors):
    """A safetensors file whose header lists `tensors` (name -> shape, all BF16) and whose data is a hole."""
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape in tensors:
        size = 2
        for extent in shape:
            size *= extent
        header[name] = {"dtype": "BF16", "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
    os.truncate(path, 8 + len(text) + offset)


def write_folder(folder, layers):
    os.makedirs(folder)
    first = [("model.embed_tokens.weight", [VOCAB, DIM])]
    second = []
    for n in range(layers):
        target = first if n < layers // 2 else second
        target += [(f"model.layers.{n}.{stem}", shape) for stem, shape in LAYER_SHAPES.items()]
    second += [("model.norm.weight", [DIM]), ("lm_head.weight", [VOCAB, DIM])]
    index = {"metadata": {}, "weight_map": {}}
    for number, tensors in enumerate([first, second], start=1):
        name = f"model-{number:05d}-of-00002.safetensors"
        write_sparse_safetensors(os.path.join(folder, name), tensors)
        index["weight_map"].update({tensor: name for tensor, _ in tensors})
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump(index, f)
    config = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": DIM, "intermediate_size": FFN,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "num_hidden_layers": layers,
        "vocab_size": VOCAB, "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "max_position_embeddings": 8192,
        "torch_dtype": "bfloat16", "bos_token_id": 128000, "eos_token_id": 128001, "tie_word_embeddings": False,
    }
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f)


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def measured(command):
    """(peak RSS, peak RssAnon, peak RssFile) in KiB and the wall time of `command`."""
    os.sync()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_anon = peak_file = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid != 0:
            break
        peak_anon = max(peak_anon, status_kib(process.pid, "RssAnon"))
        peak_file = max(peak_file, status_kib(process.pid, "RssFile"))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode()}")
    return usage.ru_maxrss, peak_anon, peak_file, seconds


def cached_bytes(paths):
    """Bytes of `paths` in the page cache, by util-linux's fincore (None where it is missing)."""
    try:
        found = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES"] + paths,
                               capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return sum(int(line) for line in found.stdout.split())


def input_bytes(paths):
    return sum(os.path.getsize(p) for p in paths)


def run_jobs(binary, scratch, folder, label):
    split = os.path.join(scratch, f"{label}-split.gguf")
    jobs = [
        ("BF16 folder -> Q8_0 GGUF", [folder], [binary, "convert", folder, os.path.join(scratch, f"{label}-q8.gguf"), "--type", "q8_0", "--quiet"]),
        ("BF16 folder -> split GGUF (1G parts)", [folder], [binary, "convert", folder, split, "--split-max-size", "1G", "--quiet"]),
        ("split GGUF -> one GGUF", None, [binary, "convert", os.path.join(scratch, f"{label}-split-00001-of-"), os.path.join(scratch, f"{label}-one.gguf"), "--quiet"]),
    ]
    rows = []
    for job, _, command in jobs:
        if job.startswith("split GGUF"):
            parts = sorted(p for p in os.listdir(scratch) if p.startswith(f"{label}-split-"))
            command[2] = os.path.join(scratch, parts[0])
            size = input_bytes(os.path.join(scratch, p) for p in parts)
            note = f"{len(parts)} parts"
        else:
            size = input_bytes(os.path.join(folder, p) for p in os.listdir(folder) if p.endswith(".safetensors"))
            note = "2 shards"
        peak, anon, mapped, seconds = measured(command)
        written = {"Q8_0": f"{label}-q8", "split GGUF (": f"{label}-split-", "one GGUF": f"{label}-one"}
        prefix = next(value for key, value in written.items() if key in job)
        outputs = [os.path.join(scratch, p) for p in os.listdir(scratch) if p.startswith(prefix)]
        rows.append((label, job, f"{size / 1e9:.2f} GB ({note})", peak, anon, mapped, seconds, cached_bytes(outputs)))
        for name in os.listdir(scratch):
            if name.startswith(f"{label}-") and name.endswith(".gguf") and not name.startswith(f"{label}-split-"):
                os.remove(os.path.join(scratch, name))
    for name in os.listdir(scratch):
        if name.startswith(f"{label}-split-"):
            os.remove(os.path.join(scratch, name))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
    parser.add_argument("--before", help="a second llama3 binary to measure in the same run")
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--scratch", default=ROOT, help="folder for the outputs (they are written to disk)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="llama3-convert-memory-", dir=args.scratch) as scratch:
        folder = os.path.join(scratch, "hf")
        write_folder(folder, args.layers)
        binaries = [("after", args.binary)] + ([("before", args.before)] if args.before else [])
        rows = []
        for label, binary in binaries:
            rows += run_jobs(binary, scratch, folder, label)
        print(f"Llama 3 8B-wide, {args.layers} layers, BF16, sparse input")
        print("| build | job | input | peak RSS | peak RssAnon | peak RssFile (mapped input) | output in page cache after | wall |")
        print("|---|---|---|---|---|---|---|---|")
        for label, job, size, peak, anon, mapped, seconds, cached in rows:
            cache = "?" if cached is None else f"{cached / 2**20:.0f} MiB"
            print(f"| {label} | {job} | {size} | {peak / 1024:.0f} MiB | {anon / 1024:.0f} MiB | {mapped / 1024:.0f} MiB | {cache} | {seconds:.1f} s |")


if __name__ == "__main__":
    main()
