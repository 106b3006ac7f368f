#!/usr/bin/env python3
"""Inputs for the quantize pipeline tests, written by gguf-py at test time (nothing committed):
    .venv/bin/python Fixtures/quantization/make-quantize-inputs.py OUT_FOLDER
OUT_FOLDER/input.gguf      Llama-named tensors: 2-D F32, F16 and BF16 weights (token_embd spans four
                           64 Ki-value work items), 1-D F32 and F16 norms, a [1, 64] tensor (1-D for
                           ggml), a 3-D tensor
OUT_FOLDER/ragged.gguf     a 2-D tensor whose rows hold 48 values
OUT_FOLDER/nan.gguf        a NaN at element 1000 of blk.0.attn_q.weight
OUT_FOLDER/quantized.gguf  a tensor that is already Q8_0
OUT_FOLDER/integers.gguf   a 2-D I32 tensor beside a 2-D F32 one
"""
import os
import sys
import numpy as np
import gguf
from gguf.quants import quantize

out = sys.argv[1]
rng = np.random.default_rng(11)


def bf16_bytes(values):
    return gguf.quants.quantize(values.astype(np.float32), gguf.GGMLQuantizationType.BF16)


def write(name, tensors, metadata=True):
    writer = gguf.GGUFWriter(os.path.join(out, name), "llama")
    if metadata:
        writer.add_name("quantize-test")
        writer.add_block_count(1)
        writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    for tensor_name, array, raw in tensors:
        writer.add_tensor(tensor_name, array, raw_dtype=raw)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


normal = lambda *shape: rng.standard_normal(shape, dtype=np.float32)
write("input.gguf", [
    ("token_embd.weight", normal(1024, 256) * np.float32(0.02), None),   # 256 Ki values: 4 work items
    ("blk.0.attn_norm.weight", normal(256), None),
    ("blk.0.attn_q.weight", normal(256, 256), None),
    ("blk.0.attn_k.weight", normal(64, 256).astype(np.float16), None),
    ("blk.0.ffn_norm.weight", normal(256).astype(np.float16), None),
    ("blk.0.ffn_up.weight", bf16_bytes(normal(128, 256)), gguf.GGMLQuantizationType.BF16),
    ("blk.0.scales", normal(1, 64), None),
    ("blk.0.experts", normal(2, 32, 64), None),
    ("output.weight", normal(1024, 256) * np.float32(3), None),
])
write("ragged.gguf", [("blk.0.attn_norm.weight", normal(48), None), ("blk.0.ffn_down.weight", normal(64, 48), None)])
poisoned = normal(64, 256)
poisoned.reshape(-1)[1000] = np.nan
write("nan.gguf", [("blk.0.attn_norm.weight", normal(256), None), ("blk.0.attn_q.weight", poisoned, None)])
write("quantized.gguf", [("blk.0.attn_q.weight", quantize(normal(64, 256), gguf.GGMLQuantizationType.Q8_0),
                          gguf.GGMLQuantizationType.Q8_0)])
write("integers.gguf", [("blk.0.attn_q.weight", normal(64, 256), None),
                        ("blk.0.positions", rng.integers(-1000, 1000, (4, 64), dtype=np.int32), None)])
