#!/usr/bin/env python3
"""GGUFs quantized by llama.cpp itself, and llama.cpp's names for every file type, for the tests
of the reference model on k-quant mixes and of `inspect`'s file_type.

Needs llama-cpp-python 0.3.36 (its llama.cpp quantizes and names; the files match that version)
and gguf==0.19.0 in one Python, e.g. the peer venv of Tests/Benchmarks/llamacpp_peer.py:
    PEER_VENV/bin/pip install gguf==0.19.0
    PEER_VENV/bin/python Fixtures/llamacpp-quantized/make_llamacpp_quantized.py
Deterministic; writes into Fixtures/llamacpp-quantized/:

model-Q4_K_M.gguf, model-Q5_K_M.gguf, model-Q2_K.gguf
    llama_model_quantize's default mixes (no importance matrix) of an F32 Llama written here by
    gguf-py and not kept: 2 layers, dim 256, 4 heads of 64, 2 KV heads, FFN 256, vocabulary 256,
    separate output; every row a multiple of 256, so no tensor falls back (the pinned llama.cpp
    falls Q2_K/Q3_K back to Q4_0 on other rows). Weights are seeded normals, wider than a trained
    model's so that the logits spread over several units.
ids.json
    the 32 ids the tests evaluate.
names.json
    what llama.cpp's loader prints as "file type" for: each committed file; the F32 model
    quantized to every whole-file type `--type` takes (by llama-quantize's name); and the Q2_K
    file with its general.file_type key renamed (the byte patch the inspect test makes), where
    llama.cpp guesses the type from the tensors.
quantize-log.json
    llama_model_quantize's log of Fixtures/quantization/make_kquant_model.py's llama.gguf (4
    layers, GQA, rows of 256) quantized to q4_k_m, q2_k and q8_0: its per-tensor lines and its
    closing "model size" and "quant size" lines, which `llama3 quantize --verbose` says alike.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import gguf
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LLAMA_FTYPES = {"f32": 0, "f16": 1, "q4_0": 2, "q4_1": 3, "q8_0": 7, "q5_0": 8, "q5_1": 9, "q2_k": 10,
                "q3_k_s": 11, "q3_k_m": 12, "q3_k_l": 13, "q4_k_s": 14, "q4_k_m": 15, "q5_k_s": 16,
                "q5_k_m": 17, "q6_k": 18, "bf16": 32}
COMMITTED = {"model-Q4_K_M.gguf": "q4_k_m", "model-Q5_K_M.gguf": "q5_k_m", "model-Q2_K.gguf": "q2_k"}
FILE_TYPE_KEY = b"general.file_type"
RENAMED_KEY = b"general.file_typX"


def write_f32_model(path, dim=256, heads=4, kv_heads=2, ffn=256, vocab=256, layers=2, seed=20261201):
    rng = np.random.default_rng(seed)
    head_dim = dim // heads

    def weight(rows, columns):
        # 1/sqrt(columns) keeps each product near unit size; the 2.5 makes the logits spread.
        return (rng.standard_normal((rows, columns)) * (2.5 / np.sqrt(columns))).astype(np.float32)

    def norm():
        return (1 + 0.2 * rng.standard_normal(dim)).astype(np.float32)

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("llamacpp-quantized-test")
    writer.add_context_length(256)
    writer.add_embedding_length(dim)
    writer.add_block_count(layers)
    writer.add_feed_forward_length(ffn)
    writer.add_rope_dimension_count(head_dim)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(500000.0)
    writer.add_vocab_size(vocab)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tensor("token_embd.weight", weight(vocab, dim))
    for layer in range(layers):
        block = f"blk.{layer}"
        writer.add_tensor(f"{block}.attn_norm.weight", norm())
        writer.add_tensor(f"{block}.attn_q.weight", weight(dim, dim))
        writer.add_tensor(f"{block}.attn_k.weight", weight(kv_heads * head_dim, dim))
        writer.add_tensor(f"{block}.attn_v.weight", weight(kv_heads * head_dim, dim))
        writer.add_tensor(f"{block}.attn_output.weight", weight(dim, dim))
        writer.add_tensor(f"{block}.ffn_norm.weight", norm())
        writer.add_tensor(f"{block}.ffn_gate.weight", weight(ffn, dim))
        writer.add_tensor(f"{block}.ffn_up.weight", weight(ffn, dim))
        writer.add_tensor(f"{block}.ffn_down.weight", weight(dim, ffn))
    writer.add_tensor("output_norm.weight", norm())
    writer.add_tensor("output.weight", weight(vocab, dim))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


class LlamaCpp:
    """llama_model_quantize, and the "file type" line llama.cpp's loader prints."""

    def __init__(self):
        import llama_cpp
        self.api = llama_cpp
        self.log = []
        self.callback = llama_cpp.llama_log_callback(lambda level, text, data: self.log.append(text.decode(errors="replace")))
        llama_cpp.llama_log_set(self.callback, None)
        llama_cpp.llama_backend_init()

    def quantize(self, source, destination, file_type):
        params = self.api.llama_model_quantize_default_params()
        params.nthread = 2
        params.ftype = LLAMA_FTYPES[file_type]
        if self.api.llama_model_quantize(source.encode(), destination.encode(), params) != 0:
            raise SystemExit(f"llama_model_quantize {file_type} failed")

    def file_type_name(self, path):
        """The loader prints the file type before it reads the vocabulary, which these files lack."""
        self.log.clear()
        params = self.api.llama_model_default_params()
        model = self.api.llama_model_load_from_file(path.encode(), params)
        if model:
            self.api.llama_model_free(model)
        match = re.search(r"file type\s+= ([^\n]*)", "".join(self.log))
        if not match:
            raise SystemExit(f"llama.cpp printed no file type for {path}")
        return match[1].strip()


def quantize_logs(llama, folder):
    subprocess.run([sys.executable, os.path.join(HERE, "..", "quantization", "make_kquant_model.py"), folder], check=True,
                   stdout=subprocess.DEVNULL)
    logs = {}
    for file_type in ("q4_k_m", "q2_k", "q8_0"):
        llama.log.clear()
        llama.quantize(os.path.join(folder, "llama.gguf"), os.path.join(folder, "out.gguf"), file_type)
        lines = "".join(llama.log).splitlines()
        logs[file_type] = [line for line in lines if re.match(r"\[ *\d+/ *\d+\] ", line) or " size  = " in line]
    return logs


def renamed_file_type_key(path, destination):
    data = open(path, "rb").read()
    assert data.count(FILE_TYPE_KEY) == 1
    with open(destination, "wb") as f:
        f.write(data.replace(FILE_TYPE_KEY, RENAMED_KEY))


def main():
    llama = LlamaCpp()
    names = {"llama.cpp": f"llama-cpp-python {llama.api.__version__}", "committed": {}, "file_types": {}}
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "model-F32.gguf")
        write_f32_model(source)
        for name, file_type in COMMITTED.items():
            path = os.path.join(HERE, name)
            llama.quantize(source, path, file_type)
            names["committed"][name] = llama.file_type_name(path)
        for file_type in LLAMA_FTYPES:
            path = os.path.join(folder, f"{file_type}.gguf")
            llama.quantize(source, path, file_type)
            names["file_types"][file_type] = llama.file_type_name(path)
        renamed = os.path.join(folder, "renamed.gguf")
        renamed_file_type_key(os.path.join(HERE, "model-Q2_K.gguf"), renamed)
        names["model-Q2_K.gguf without general.file_type"] = llama.file_type_name(renamed)
        logs = quantize_logs(llama, folder)
    with open(os.path.join(HERE, "quantize-log.json"), "w") as f:
        json.dump({"llama.cpp": names["llama.cpp"], "llama.gguf": logs}, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(HERE, "names.json"), "w") as f:
        json.dump(names, f, indent=1, sort_keys=True)
        f.write("\n")
    ids = np.random.default_rng(32).integers(0, 256, 32).tolist()
    with open(os.path.join(HERE, "ids.json"), "w") as f:
        json.dump(ids, f)
        f.write("\n")


if __name__ == "__main__":
    main()
