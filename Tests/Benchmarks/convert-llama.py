#!/usr/bin/env python3
"""HF Llama checkpoint -> GGUF on ~1 GB: `llama3 convert` (release build, Llama-aware and with
--keep-names) against the same job written with the reference packages: safe_open, numpy's
reshape/swapaxes for llama.cpp's Q/K permutation, gguf-py's GGUFWriter with the llama.* keys
(the peer writes no tokenizer keys; llama3 also embeds the folder's tokenizer.json). Both GGUFs
are read back with GGUFReader and must hold the same tensors with the same bytes.

The checkpoint (F32, dim 2048, 16 heads, 4 KV heads, FFN 8192, 4 layers, 1,256-id vocabulary)
is written with safetensors' numpy API at run time. llama3 fsyncs its output; the peer does not.

Usage (from the repository root):
    swift build -c release
    .venv/bin/python Tests/Benchmarks/convert-llama.py [--runs 3] [--binary .build/release/llama3]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from safetensors.numpy import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIM, HEADS, KV_HEADS, FFN, LAYERS, VOCAB = 2048, 16, 4, 8192, 4, 1256
HEAD_DIM = DIM // HEADS

PEER = """
import json, sys
import numpy as np
from gguf import GGUFWriter
from safetensors import safe_open

folder, out = sys.argv[1], sys.argv[2]
config = json.load(open(folder + "/config.json"))
heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
stems = {"input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
         "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output", "post_attention_layernorm": "ffn_norm",
         "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
fixed = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
         "lm_head.weight": "output.weight"}

def permute(w, n_head):
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)

writer = GGUFWriter(out, "llama")
writer.add_block_count(config["num_hidden_layers"])
writer.add_context_length(config["max_position_embeddings"])
writer.add_embedding_length(config["hidden_size"])
writer.add_feed_forward_length(config["intermediate_size"])
writer.add_head_count(heads)
writer.add_head_count_kv(kv_heads)
writer.add_rope_freq_base(config["rope_theta"])
writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
with safe_open(folder + "/model.safetensors", "np") as f:
    for name in f.keys():
        w = f.get_tensor(name)
        if name in fixed:
            target = fixed[name]
        else:
            parts = name.split(".")
            target = f"blk.{parts[2]}.{stems['.'.join(parts[3:-1])]}.weight"
        if name.endswith("q_proj.weight"):
            w = permute(w, heads)
        elif name.endswith("k_proj.weight"):
            w = permute(w, kv_heads)
        writer.add_tensor(target, w)
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
"""


def make_checkpoint(folder):
    rng = np.random.default_rng(7)
    tensors = {"model.embed_tokens.weight": rng.standard_normal((VOCAB, DIM), dtype=np.float32),
               "model.norm.weight": np.ones(DIM, dtype=np.float32)}
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        shapes = {"self_attn.q_proj": (DIM, DIM), "self_attn.k_proj": (KV_HEADS * HEAD_DIM, DIM),
                  "self_attn.v_proj": (KV_HEADS * HEAD_DIM, DIM), "self_attn.o_proj": (DIM, DIM),
                  "mlp.gate_proj": (FFN, DIM), "mlp.up_proj": (FFN, DIM), "mlp.down_proj": (DIM, FFN)}
        for stem, shape in shapes.items():
            tensors[p + stem + ".weight"] = rng.standard_normal(shape, dtype=np.float32)
        tensors[p + "input_layernorm.weight"] = np.ones(DIM, dtype=np.float32)
        tensors[p + "post_attention_layernorm.weight"] = np.ones(DIM, dtype=np.float32)
    save_file(tensors, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": DIM,
              "intermediate_size": FFN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
              "num_key_value_heads": KV_HEADS, "vocab_size": VOCAB, "max_position_embeddings": 8192,
              "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "tie_word_embeddings": True,
              "bos_token_id": 1000, "eos_token_id": 1001}
    json.dump(config, open(os.path.join(folder, "config.json"), "w"))
    shutil.copy(os.path.join(ROOT, "Fixtures/tokenizer/small-tokenizer.json"), os.path.join(folder, "tokenizer.json"))
    return os.path.getsize(os.path.join(folder, "model.safetensors"))


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def tensors(path):
    from gguf import GGUFReader
    return {t.name: np.asarray(t.data).tobytes() for t in GGUFReader(path).tensors}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as work:
        folder = os.path.join(work, "hf")
        os.makedirs(folder)
        size = make_checkpoint(folder)
        outputs = {name: os.path.join(work, name + ".gguf") for name in ["llama3", "keep-names", "peer"]}
        commands = {
            "llama3": [args.binary, "convert", folder, outputs["llama3"], "--quiet"],
            "keep-names": [args.binary, "convert", folder, outputs["keep-names"], "--keep-names", "--quiet"],
            "peer": [sys.executable, "-c", PEER, folder, outputs["peer"]],
        }
        times = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                if os.path.exists(outputs[name]):
                    os.remove(outputs[name])
                times[name].append(timed(command))
        ours, peer = tensors(outputs["llama3"]), tensors(outputs["peer"])
        if ours != peer:
            differing = sorted(n for n in set(ours) | set(peer) if ours.get(n) != peer.get(n))
            sys.exit(f"tensors differ between llama3 and the peer: {differing[:5]}")
        median = {name: statistics.median(values) for name, values in times.items()}
        print(f"checkpoint {size / 1e9:.2f} GB F32, {len(ours)} tensors; same tensor bytes in both GGUFs; median of {args.runs}")
        for name, seconds in median.items():
            print(f"  {name:10} {seconds:7.2f} s  {size / seconds / 1e6:8.0f} MB/s")
        print(f"  ratio peer / llama3 (Llama-aware): {median['peer'] / median['llama3']:.2f}x")


if __name__ == "__main__":
    main()
