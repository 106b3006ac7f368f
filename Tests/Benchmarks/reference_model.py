#!/usr/bin/env python3
"""Reference forward pass speed: `llama3 generate` against llama.cpp on the same GGUF, same run.

Builds (in a temporary folder, deleted afterwards) a random Llama with SmolLM-135M's shape (30
layers, dim 576, 9 heads, 3 KV heads, head_dim 64, FFN 1536, vocabulary 49152, tied; about 135M
parameters), or with --shape wide one whose rows fill 256-value k-quant blocks (dim 768, 12 heads,
4 KV heads, FFN 2048, otherwise the same; about 227M parameters: on the 576-wide shape Q4_K_M
falls back to Q5_0 for most tensors, as llama-quantize does), with transformers, converts it with `llama3 convert` (llama.cpp-ready GGUF with the
small test vocabulary padded to 49152 ids) and quantizes it with `llama3 quantize`. Then, for each
type and 1 and 2 threads, best of --runs:
  - prompt tokens/s for a 64- and a 512-token prompt (one batch),
  - generation tokens/s for 64 tokens after the 64-token prompt (one token at a time, KV cache),
for the release `llama3 generate --verbose --ignore-eos` (its own timing: forward passes only, no
start-up or load) and for llama.cpp through llama-cpp-python (`Llama.eval` timed in-process, model
load excluded; greedy argmax of its logits for each next token).

Setup (once):
    swift build -c release
    python3 -m venv PEER_VENV
    CMAKE_ARGS="-DLLAVA_BUILD=OFF" PEER_VENV/bin/pip install llama-cpp-python==0.3.36 numpy
Run from the repository root (the peer's Python from --peer-python, else $LLAMA_CPP_PYTHON, else .venv/bin/python):
    .venv/bin/python Tests/Benchmarks/reference_model.py [--types q8_0,q4_1] [--runs 3]
    .venv/bin/python Tests/Benchmarks/reference_model.py --shape wide --types q4_k_m
"""
import argparse
import llamacpp_peer
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

parser = argparse.ArgumentParser()
parser.add_argument("--peer-python", default=llamacpp_peer.default_python())
parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
parser.add_argument("--types", default="q8_0,q4_1")
parser.add_argument("--threads", default="1,2")
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--generate", type=int, default=64)
parser.add_argument("--layers", type=int, default=30)
parser.add_argument("--shape", choices=["smollm", "wide"], default="smollm")
args = parser.parse_args()

PEER = r'''
import sys, time, json
import numpy as np
import llama_cpp
path, threads, prompt_length, generate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
silence = llama_cpp.llama_log_callback(lambda level, text, data: None)
llama_cpp.llama_log_set(silence, None)
model = llama_cpp.Llama(model_path=path, n_ctx=1024, n_batch=512, n_ubatch=512, n_threads=threads,
                        n_threads_batch=threads, logits_all=False, verbose=False)
prompt = [1000] + [(7 * i + 3) % 1000 for i in range(prompt_length - 1)]
start = time.perf_counter()
model.eval(prompt)
prompt_seconds = time.perf_counter() - start
start = time.perf_counter()
for _ in range(generate):
    next_id = int(np.argmax(model.scores[model.n_tokens - 1]))
    model.eval([next_id])
generate_seconds = time.perf_counter() - start
print(json.dumps({"prompt": prompt_length / prompt_seconds, "generate": generate / generate_seconds if generate else 0}))
'''


def make_model(folder):
    script = r'''
import sys, torch, shutil
from transformers import LlamaConfig, LlamaForCausalLM
out, layers, tokenizer, wide = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "wide"
torch.manual_seed(0)
config = LlamaConfig(vocab_size=49152, hidden_size=768 if wide else 576, intermediate_size=2048 if wide else 1536,
                     num_hidden_layers=layers, num_attention_heads=12 if wide else 9,
                     num_key_value_heads=4 if wide else 3, head_dim=64, tie_word_embeddings=True,
                     max_position_embeddings=2048, rope_theta=10000.0, rms_norm_eps=1e-5, bos_token_id=1000, eos_token_id=1001)
LlamaForCausalLM(config).save_pretrained(out, safe_serialization=True)
shutil.copy(tokenizer, out + "/tokenizer.json")
'''
    checkpoint = os.path.join(folder, "hf")
    subprocess.run([sys.executable, "-c", script, checkpoint, str(args.layers),
                    os.path.join(ROOT, "Fixtures/tokenizer/small-tokenizer.json"), args.shape], check=True, capture_output=True)
    f32 = os.path.join(folder, "model-f32.gguf")
    subprocess.run([args.binary, "convert", checkpoint, f32, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    files = {"f32": f32}
    for kind in args.types.split(","):
        if kind == "f32":
            continue
        files[kind] = os.path.join(folder, f"model-{kind}.gguf")
        subprocess.run([args.binary, "quantize", f32, files[kind], "--type", kind, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    return files


def ours(path, threads, prompt_length, generate):
    prompt = [1000] + [(7 * i + 3) % 1000 for i in range(prompt_length - 1)]
    result = subprocess.run([args.binary, "generate", path, "--tokens", " ".join(map(str, prompt)), "--max-tokens",
                             str(max(1, generate)), "--ignore-eos", "--verbose", "--threads", str(threads)],
                            check=True, capture_output=True, text=True)
    rates = re.findall(r"\(([0-9.]+) tokens/s\)", result.stderr)
    return {"prompt": float(rates[0]), "generate": float(rates[1])}


def peer(path, threads, prompt_length, generate):
    result = subprocess.run([args.peer_python, "-c", PEER, path, str(threads), str(prompt_length), str(generate)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def best(run, *arguments):
    results = [run(*arguments) for _ in range(args.runs)]
    return {key: max(r[key] for r in results) for key in results[0]}


def main():
    folder = tempfile.mkdtemp(prefix="llama3-bench-reference-")
    try:
        files = make_model(folder)
        shape = "227M-parameter wide shape" if args.shape == "wide" else "135M-parameter SmolLM shape"
        print(f"model: random Llama, {shape} ({args.layers} layers); best of {args.runs}")
        print("| type | threads | measure | llama3 tokens/s | llama.cpp tokens/s | ratio |")
        print("|---|---|---|---|---|---|")
        for kind in args.types.split(","):
            for threads in [int(t) for t in args.threads.split(",")]:
                rows = []
                for prompt_length, generate in [(64, args.generate), (512, 0)]:
                    a = best(ours, files[kind], threads, prompt_length, generate)
                    b = best(peer, files[kind], threads, prompt_length, generate)
                    rows.append((f"prompt {prompt_length}", a["prompt"], b["prompt"]))
                    if generate:
                        rows.append((f"generation ({generate} after {prompt_length})", a["generate"], b["generate"]))
                for name, a, b in rows:
                    print(f"| {kind} | {threads} | {name} | {a:.1f} | {b:.1f} | {a / b:.2f}x |", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
