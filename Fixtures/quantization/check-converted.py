#!/usr/bin/env python3
"""Checks a .safetensors written by `llama3 convert SRC.gguf DST.safetensors --type f16|bf16|f32`
with gguf-py (source) and torch (expected conversion) alone; run by the tests:
    .venv/bin/python Fixtures/quantization/check-converted.py SRC.gguf DST.safetensors TYPE
2+-dim tensors (ggml_n_dims) must be TYPE with exactly torch's `.to(dtype)` of the source values;
1-D tensors must be float32 with the source values. Prints "ok" or the problems (exit 1).
"""
import sys
import numpy as np
import torch
import gguf
from gguf.quants import dequantize
from safetensors import safe_open

source, output, kind = sys.argv[1:4]
dtype = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}[kind]
problems = []
with safe_open(output, framework="pt") as f:
    names = list(f.keys())
    for tensor in gguf.GGUFReader(source).tensors:
        shape = tuple(int(d) for d in reversed(tensor.shape))
        values = torch.from_numpy(dequantize(tensor.data, tensor.tensor_type).reshape(shape).astype(np.float32).copy())
        dims = [int(d) for d in tensor.shape]
        while len(dims) > 1 and dims[-1] == 1:
            dims.pop()
        expected = values.to(dtype) if len(dims) >= 2 else values
        if tensor.name not in names:
            problems.append(f"{tensor.name}: missing")
            continue
        found = f.get_tensor(tensor.name)
        if found.dtype != expected.dtype or tuple(found.shape) != tuple(expected.shape):
            problems.append(f"{tensor.name}: {found.dtype}{tuple(found.shape)}, expected {expected.dtype}{tuple(expected.shape)}")
        elif not torch.equal(found, expected):
            problems.append(f"{tensor.name}: values differ from torch's conversion")
print("; ".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
