#!/usr/bin/env python3
"""What each quantization type costs a model with structure: KL divergence from the F32 file,
top-1 agreement and perplexity (Docs/QUANTIZATION.md, "What the mixes cost"). Not in CI.

    swift build -c release
    .venv/bin/python Tests/Benchmarks/kquant_quality.py [--binary .build/release/llama3] [--steps 120]

1. Trains a small Llama with transformers (seeded, CPU, about ten minutes on two busy cores: 120
   steps of 4 windows of 128 bytes): bytes as tokens (vocabulary 256, id 0 as <|begin_of_text|>,
   which starts every training window), 2 layers, dim 256, 4 heads
   of 64, 2 KV heads, FFN 512: every row a multiple of 256, so no k-quant falls back. Its text is
   this repository's Swift sources and Docs/ but Docs/CLI.md, which is held out for evaluation.
   Random weights would make perplexity meaningless (every byte nearly equally likely); a few
   hundred steps give the model real structure (it predicts bytes far better than chance), still
   far from a trained LLM, so read the table for the order and the spacing of the types rather
   than for what a real model loses.
2. Writes it as an F32 GGUF with gguf-py (q/k rows in GGUF's interleaved order) and quantizes it
   with `llama3 quantize` to every type below (files byte-identical to llama-quantize's).
3. For each type, against the F32 file: `llama3 compare F32 Q --ids W --json` on 8 held-out windows
   of 128 ids (KL(F32 || Q) averaged over every position, top-1 agreement), and
   `llama3 perplexity Q --ids HELD_OUT --context 128 --json` on its first 128 windows (llama.cpp's
   rule: each window's second half is scored), the window the model was trained on.
Checks first that `llama3 logits` on the F32 GGUF equals transformers' logits of the trained model
(within 1e-3 of the largest), then prints a Markdown table.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TYPES = ["q8_0", "q6_k", "q5_k_m", "q5_k_s", "q4_k_m", "q4_k_s", "q4_0", "q3_k_l", "q3_k_m", "q3_k_s", "q2_k"]
WINDOW = 128
ROPE_THETA = 10000.0
BATCH = 4
LAYERS = 2
PEAK_LEARNING_RATE = 5e-3
BOS = 0
EVALUATED_WINDOWS = 128  # of the held-out text, for perplexity: 16 KiB, a few seconds per file

parser = argparse.ArgumentParser()
parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/llama3"))
parser.add_argument("--steps", type=int, default=120)
parser.add_argument("--keep", help="folder to keep the model files in")
args = parser.parse_args()


def corpus():
    train, held_out = [], b""
    for folder, _, names in sorted(os.walk(os.path.join(ROOT, "Sources"))):
        train += [open(os.path.join(folder, n), "rb").read() for n in sorted(names) if n.endswith(".swift")]
    for name in sorted(os.listdir(os.path.join(ROOT, "Docs"))):
        text = open(os.path.join(ROOT, "Docs", name), "rb").read()
        if name == "CLI.md":
            held_out = text
        else:
            train.append(text)
    return np.frombuffer(b"\n".join(train), dtype=np.uint8), np.frombuffer(held_out, dtype=np.uint8)


def train(data):
    from transformers import LlamaConfig, LlamaForCausalLM
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=256, hidden_size=256, intermediate_size=512, num_hidden_layers=LAYERS,
                         num_attention_heads=4, num_key_value_heads=2, head_dim=64, max_position_embeddings=WINDOW,
                         rms_norm_eps=1e-5, rope_theta=ROPE_THETA, tie_word_embeddings=False, bos_token_id=BOS,
                         attn_implementation="eager")
    model = LlamaForCausalLM(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=PEAK_LEARNING_RATE, weight_decay=0.01)
    rng = np.random.default_rng(0)
    torch.set_num_threads(2)
    start = time.time()
    for step in range(args.steps):
        learning_rate = PEAK_LEARNING_RATE * min(1, (step + 1) / 20) * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        for group in optimizer.param_groups:
            group["lr"] = learning_rate
        offsets = rng.integers(0, len(data) - WINDOW, BATCH)
        windows = np.stack([data[o:o + WINDOW] for o in offsets]).astype(np.int64)
        windows[:, 0] = BOS
        ids = torch.from_numpy(windows)
        loss = model(ids, labels=ids).loss
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if step % 10 == 0 or step == args.steps - 1:
            print(f"step {step}: loss {loss.item():.3f} nats/byte ({time.time() - start:.0f} s)", file=sys.stderr)
    return model.eval(), config


def interleaved(weights, heads):
    """HF's rotate-half q/k rows to GGUF's interleaved pairs, head by head."""
    rows, columns = weights.shape
    half = rows // heads // 2
    return weights.reshape(heads, 2, half, columns).swapaxes(1, 2).reshape(rows, columns)


def write_gguf(model, config, path):
    import gguf
    state = {k: v.detach().to(torch.float32).numpy() for k, v in model.state_dict().items()}
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("kquant-quality")
    writer.add_context_length(WINDOW)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_rope_dimension_count(config.head_dim)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_rope_freq_base(ROPE_THETA)
    writer.add_vocab_size(config.vocab_size)
    writer.add_bos_token_id(BOS)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tensor("token_embd.weight", state["model.embed_tokens.weight"])
    stems = {"attn_norm": "input_layernorm", "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj",
             "attn_v": "self_attn.v_proj", "attn_output": "self_attn.o_proj", "ffn_norm": "post_attention_layernorm",
             "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj"}
    for layer in range(config.num_hidden_layers):
        for stem, hf in stems.items():
            values = state[f"model.layers.{layer}.{hf}.weight"]
            if stem == "attn_q":
                values = interleaved(values, config.num_attention_heads)
            if stem == "attn_k":
                values = interleaved(values, config.num_key_value_heads)
            writer.add_tensor(f"blk.{layer}.{stem}.weight", np.ascontiguousarray(values))
    writer.add_tensor("output_norm.weight", state["model.norm.weight"])
    writer.add_tensor("output.weight", state["lm_head.weight"])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def llama3(*arguments):
    result = subprocess.run([args.binary, *arguments], check=True, capture_output=True, text=True)
    return result.stdout


def check_gguf(model, f32, window_path, folder):
    """The F32 GGUF is the trained model: llama3's logits on it equal transformers' on one window."""
    out = os.path.join(folder, "check.npy")
    llama3("logits", f32, "--ids", window_path, "--out", out)
    with open(window_path) as f, torch.no_grad():
        expected = model(torch.tensor([json.load(f)])).logits[0].numpy()
    relative = np.abs(np.load(out) - expected).max() / np.abs(expected).max()
    print(f"F32 GGUF check: llama3's logits differ from transformers' by {relative:.1e} of the largest", file=sys.stderr)
    if relative > 1e-3:
        sys.exit("the F32 GGUF does not hold the trained model")


def main():
    data, held_out = corpus()
    model, config = train(data)
    with tempfile.TemporaryDirectory(prefix="kquant-quality-") as scratch:
        folder = args.keep or scratch
        os.makedirs(folder, exist_ok=True)
        f32 = os.path.join(folder, "model-f32.gguf")
        write_gguf(model, config, f32)
        ids_path = os.path.join(folder, "held-out.json")
        with open(ids_path, "w") as f:
            json.dump(held_out[:EVALUATED_WINDOWS * WINDOW].tolist(), f)
        windows = []
        for index in range(8):
            path = os.path.join(folder, f"window-{index}.json")
            window = held_out[index * WINDOW:(index + 1) * WINDOW].astype(int).tolist()
            window[0] = BOS
            with open(path, "w") as f:
                json.dump(window, f)
            windows.append(path)
        check_gguf(model, f32, windows[0], folder)
        rows = [("f32", f32)]
        for kind in TYPES:
            path = os.path.join(folder, f"model-{kind}.gguf")
            llama3("quantize", f32, path, "--type", kind, "--quiet")
            rows.append((kind, path))
        print(f"Held out: Docs/CLI.md's first {EVALUATED_WINDOWS * WINDOW} bytes; {args.steps} training steps.")
        print("| type | bits/weight | file MiB | KL mean (F32 \u2016 type) | KL max | top-1 agreement | perplexity (128-byte windows) |")
        print("|---|---|---|---|---|---|---|")
        for kind, path in rows:
            inspect = json.loads(llama3("inspect", path, "--json"))
            tensor_bytes = sum(t["bytes"] for t in inspect["tensors"])
            elements = sum(math.prod(t["shape"]) for t in inspect["tensors"])
            kl, kl_max, agreement = [], 0.0, []
            for window in windows:
                result = json.loads(llama3("compare", f32, path, "--ids", window, "--json"))
                kl.append(result["kl_mean"])
                kl_max = max(kl_max, result["kl_max"])
                agreement.append(result["top1_agreement"])
            perplexity = json.loads(llama3("perplexity", path, "--ids", ids_path, "--context", str(WINDOW), "--json"))
            print(f"| {kind.upper()} | {tensor_bytes * 8 / elements:.2f} | {os.path.getsize(path) / 2**20:.2f} | "
                  f"{np.mean(kl):.2e} | {kl_max:.2e} | {np.mean(agreement) * 100:.1f}% | {perplexity['perplexity']:.4f} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
