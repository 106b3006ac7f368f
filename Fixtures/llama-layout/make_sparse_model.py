"""Writes a Llama-3-shaped model file with real headers and no real weights: the header is written
by gguf-py's GGUFWriter (GGUF) or as the safetensors format specifies (then opened with the
safetensors package to prove it valid), and the data section is a hole made by truncate(), so an
8B file takes a few KB of disk and a 70B one the same.

Used by Tests/CLITests/InspectLlamaTests.swift at test time (nothing is committed but this
script). By hand:
    .venv/bin/python Fixtures/llama-layout/make_sparse_model.py OUT --variant 8b --format gguf
    .venv/bin/python Fixtures/llama-layout/make_sparse_model.py OUT_FOLDER --variant 70b --format sharded
Options: --rope-scaling (Llama 3.1: a rope_freqs tensor in GGUF, rope_scaling in config.json),
--defect NAME (repeatable; see DEFECTS), --no-tokenizer (folders: no tokenizer.json and
tokenizer_config.json), --vocabulary TOKENIZER_MODEL (GGUF: embed the full Llama 3 vocabulary, as a
real file's header has it; without it a GGUF has no tokenizer keys). Prints the path written.
"""
import argparse
import json
import os
import sys

import numpy as np

import gguf

VARIANTS = {
    # layers, dim, heads, kv_heads, head_dim, ffn, tied
    "8b": (32, 4096, 32, 8, 128, 14336, False),
    "70b": (80, 8192, 64, 8, 128, 28672, False),
    "1b": (16, 2048, 32, 8, 64, 8192, True),
}
VOCAB = 128256
# safetensors' safe_open maps the whole file and fails with ENOMEM past the machine's memory;
# files above this are not reopened by it (the same header code is checked on the smaller ones).
VERIFY_LIMIT = 8 << 30

DEFECTS = {
    "k-heads-32": "layer 3's k projection has 32 heads instead of 8",
    "missing-layer-17": "every tensor of layer 17 is left out",
    "ffn-11008": "layer 5's gate projection has FFN 11008",
    "kv-heads-6": "6 KV heads everywhere (32 heads are not a multiple of 6)",
    "metadata-heads-16": "the metadata says 16 heads; the shapes have 32",
    "stray-bias": "an extra blk.0.attn_q.bias / q_proj.bias tensor",
}

HF_NAMES = {
    "attn_norm": "input_layernorm", "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj", "attn_output": "self_attn.o_proj", "ffn_norm": "post_attention_layernorm",
    "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
}


def layout(variant, defects, rope_scaling, gguf_names):
    """(name, shape row-major, dtype) in llama.cpp's order; dtype BF16 for matrices, F32 for vectors."""
    layers, dim, heads, kv_heads, head_dim, ffn, tied = VARIANTS[variant]
    if "kv-heads-6" in defects:
        kv_heads = 6
    q, kv = heads * head_dim, kv_heads * head_dim
    tensors = [("token_embd.weight" if gguf_names else "model.embed_tokens.weight", [VOCAB, dim])]
    if rope_scaling and gguf_names:
        tensors.append(("rope_freqs.weight", [head_dim // 2]))
    for n in range(layers):
        if n == 17 and "missing-layer-17" in defects:
            continue
        shapes = {
            "attn_norm": [dim], "attn_q": [q, dim], "attn_k": [kv, dim], "attn_v": [kv, dim],
            "attn_output": [dim, q], "ffn_norm": [dim], "ffn_gate": [ffn, dim], "ffn_up": [ffn, dim],
            "ffn_down": [dim, ffn],
        }
        if n == 3 and "k-heads-32" in defects:
            shapes["attn_k"] = [heads * head_dim, dim]
        if n == 5 and "ffn-11008" in defects:
            shapes["ffn_gate"] = [11008, dim]
        for stem, shape in shapes.items():
            name = f"blk.{n}.{stem}.weight" if gguf_names else f"model.layers.{n}.{HF_NAMES[stem]}.weight"
            tensors.append((name, shape))
        if n == 0 and "stray-bias" in defects:
            tensors.append(("blk.0.attn_q.bias" if gguf_names else "model.layers.0.self_attn.q_proj.bias", [q]))
    tensors.append(("output_norm.weight" if gguf_names else "model.norm.weight", [dim]))
    if not tied:
        tensors.append(("output.weight" if gguf_names else "lm_head.weight", [VOCAB, dim]))
    return [(name, shape, "F32" if len(shape) == 1 else "BF16") for name, shape in tensors]


def declared(variant, defects, rope_scaling):
    layers, dim, heads, kv_heads, head_dim, ffn, tied = VARIANTS[variant]
    if "kv-heads-6" in defects:
        kv_heads = 6
    if "metadata-heads-16" in defects:
        heads = 16
    context = 131072 if rope_scaling else 8192
    return layers, dim, heads, kv_heads, head_dim, ffn, tied, context


def nbytes(shape, dtype):
    return int(np.prod(shape)) * (4 if dtype == "F32" else 2)


def write_gguf(path, variant, defects, rope_scaling, vocabulary=None):
    layers, dim, heads, kv_heads, head_dim, ffn, _, context = declared(variant, defects, rope_scaling)
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name(f"sparse Llama {variant}")
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
    if vocabulary:
        from transformers.convert_slow_tokenizer import TikTokenConverter
        vocab, merges = TikTokenConverter(vocab_file=vocabulary).extract_vocab_merges_from_model(vocabulary)
        tokens = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]
        writer.add_tokenizer_model("gpt2")
        writer.add_tokenizer_pre("llama-bpe")
        writer.add_token_list(tokens + [f"<|reserved_special_token_{i}|>" for i in range(256)])
        writer.add_token_types([1] * len(tokens) + [3] * 256)
        writer.add_token_merges([f"{left} {right}" for left, right in merges])
        writer.add_chat_template("{{ messages }}")
    types = {"F32": gguf.GGMLQuantizationType.F32, "BF16": gguf.GGMLQuantizationType.BF16}
    for name, shape, dtype in layout(variant, defects, rope_scaling, gguf_names=True):
        writer.add_tensor_info(name, shape, np.dtype(np.float16), nbytes(shape, dtype), raw_dtype=types[dtype])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    out = writer.fout[0]
    writer.write_padding(out, out.tell())
    data_offset = out.tell()
    writer.close()
    tensors = layout(variant, defects, rope_scaling, True)
    size = sum(gguf.GGUFWriter.ggml_pad(nbytes(s, d), 32) for _, s, d in tensors)
    os.truncate(path, data_offset + size)
    if rope_scaling:
        write_rope_divisors(path, data_offset, tensors, variant)
    # The reference reader must see every tensor where the header puts it.
    reader = gguf.GGUFReader(path)
    assert len(reader.tensors) == len(layout(variant, defects, rope_scaling, True))


def write_rope_divisors(path, data_offset, tensors, variant):
    """The one tensor with real data: rope_freqs, Llama 3.1's divisors as transformers computes them."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from make_rope_factors import divisors
    _, dim, heads, _, _, _, _ = VARIANTS[variant]
    factor = 32.0 if variant == "1b" else 8.0
    offset = data_offset
    for name, shape, dtype in tensors:
        if name == "rope_freqs.weight":
            with open(path, "r+b") as f:
                f.seek(offset)
                f.write(np.array(divisors(dim, heads, 500000.0, factor), dtype=np.float32).tobytes())
            return
        offset += gguf.GGUFWriter.ggml_pad(nbytes(shape, dtype), 32)


def safetensors_header(tensors):
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, shape, dtype in tensors:
        size = nbytes(shape, dtype)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return text, offset


def write_safetensors(path, tensors):
    header, data = safetensors_header(tensors)
    with open(path, "wb") as f:
        f.write(len(header).to_bytes(8, "little"))
        f.write(header)
    os.truncate(path, 8 + len(header) + data)
    if data > VERIFY_LIMIT:
        return
    from safetensors import safe_open
    with safe_open(path, framework="pt") as f:
        for name, shape, _ in tensors:
            assert list(f.get_slice(name).get_shape()) == shape, name


def write_config(folder, variant, defects, rope_scaling, tokenizer):
    layers, dim, heads, kv_heads, head_dim, ffn, tied, context = declared(variant, defects, rope_scaling)
    config = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": dim,
        "intermediate_size": ffn, "num_hidden_layers": layers, "num_attention_heads": heads,
        "num_key_value_heads": kv_heads, "max_position_embeddings": context, "rms_norm_eps": 1e-5,
        "rope_theta": 500000.0, "tie_word_embeddings": tied, "vocab_size": VOCAB, "torch_dtype": "bfloat16",
        "bos_token_id": 128000, "eos_token_id": 128001,
    }
    if head_dim * heads != dim:
        config["head_dim"] = head_dim
    if rope_scaling:
        config["rope_scaling"] = {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    if tokenizer:
        with open(os.path.join(folder, "tokenizer.json"), "w") as f:
            json.dump({"model": {"type": "BPE", "vocab": {}, "merges": []}}, f)
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump({"chat_template": "{{ messages }}"}, f)


def write_folder(folder, variant, defects, rope_scaling, tokenizer, shards):
    os.makedirs(folder, exist_ok=True)
    tensors = layout(variant, defects, rope_scaling, gguf_names=False)
    write_config(folder, variant, defects, rope_scaling, tokenizer)
    if shards == 1:
        write_safetensors(os.path.join(folder, "model.safetensors"), tensors)
        return
    per_shard = -(-len(tensors) // shards)
    weight_map, total = {}, 0
    for i in range(shards):
        part = tensors[i * per_shard:(i + 1) * per_shard]
        name = f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
        write_safetensors(os.path.join(folder, name), part)
        for tensor_name, shape, dtype in part:
            weight_map[tensor_name] = name
            total += nbytes(shape, dtype)
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--variant", choices=sorted(VARIANTS), required=True)
    parser.add_argument("--format", choices=["gguf", "safetensors", "folder", "sharded"], default="gguf")
    parser.add_argument("--rope-scaling", action="store_true")
    parser.add_argument("--defect", action="append", default=[], choices=sorted(DEFECTS))
    parser.add_argument("--no-tokenizer", action="store_true")
    parser.add_argument("--vocabulary", help="a tiktoken tokenizer.model to embed whole (GGUF only)")
    args = parser.parse_args()
    tokenizer = not args.no_tokenizer
    if args.format == "gguf":
        write_gguf(args.out, args.variant, args.defect, args.rope_scaling, args.vocabulary)
    elif args.format == "safetensors":
        write_safetensors(args.out, layout(args.variant, args.defect, args.rope_scaling, gguf_names=False))
    else:
        shards = 4 if args.format == "sharded" else 1
        write_folder(args.out, args.variant, args.defect, args.rope_scaling, tokenizer, shards)
    print(args.out)


main()
