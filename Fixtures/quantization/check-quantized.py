#!/usr/bin/env python3
"""Checks a GGUF written by `llama3 quantize` with gguf-py alone (run by the tests):
    .venv/bin/python Fixtures/quantization/check-quantized.py INPUT.gguf OUTPUT.gguf TYPE DEQUANTIZED_FOLDER
- the output loads in gguf.GGUFReader; tensors keep names, order and shapes;
- 2+-dim tensors (ggml_n_dims) are TYPE and their bytes equal gguf.quants.quantize of the input
  tensor as f32; other float tensors are F32 with the input's values;
- general.file_type is llama.cpp's value for TYPE and general.quantization_version is 2;
- every quantized tensor dequantizes in gguf-py to exactly the f32 values the Swift side wrote to
  DEQUANTIZED_FOLDER/NAME.f32 (its own dequantization).
Prints "ok" or the problems (exit 1).
"""
import os
import sys
import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import quantize, dequantize

source, output, kind, dumps = sys.argv[1:5]
qtype = {"q8_0": T.Q8_0, "q4_0": T.Q4_0, "q4_1": T.Q4_1}[kind]
file_type = {"q8_0": 7, "q4_0": 2, "q4_1": 3}[kind]
a, b = gguf.GGUFReader(source), gguf.GGUFReader(output)
problems = []


def field(reader, key):
    f = reader.fields.get(key)
    return f.parts[f.data[0]].tolist()[0] if f else None


def as_f32(tensor):
    shape = tuple(int(d) for d in reversed(tensor.shape))
    return dequantize(tensor.data, tensor.tensor_type).reshape(shape).astype(np.float32)


def n_dims(tensor):
    dims = [int(d) for d in tensor.shape]  # innermost first
    while len(dims) > 1 and dims[-1] == 1:
        dims.pop()
    return len(dims)


if field(b, "general.file_type") != file_type:
    problems.append(f"general.file_type {field(b, 'general.file_type')}, expected {file_type}")
if field(b, "general.quantization_version") != 2:
    problems.append(f"general.quantization_version {field(b, 'general.quantization_version')}, expected 2")
if [t.name for t in a.tensors] != [t.name for t in b.tensors]:
    problems.append("tensor names or order changed")
for ta, tb in zip(a.tensors, b.tensors):
    if list(ta.shape) != list(tb.shape):
        problems.append(f"{ta.name}: shape {list(tb.shape)}, expected {list(ta.shape)}")
        continue
    values = as_f32(ta)
    if n_dims(ta) >= 2:
        if tb.tensor_type != qtype:
            problems.append(f"{ta.name}: type {tb.tensor_type.name}, expected {qtype.name}")
            continue
        expected = quantize(values, qtype)
        if not np.array_equal(expected.reshape(-1), tb.data.reshape(-1).view(np.uint8)):
            problems.append(f"{ta.name}: bytes differ from gguf.quants.quantize")
        theirs = as_f32(tb).reshape(-1)
        ours = np.fromfile(os.path.join(dumps, ta.name + ".f32"), dtype="<f4")
        if not np.array_equal(theirs.view(np.uint32), ours.view(np.uint32)):
            problems.append(f"{ta.name}: dequantized values differ between gguf-py and llama3")
    else:
        if tb.tensor_type != T.F32:
            problems.append(f"{ta.name}: type {tb.tensor_type.name}, expected F32")
        elif not np.array_equal(as_f32(tb), values):
            problems.append(f"{ta.name}: values changed")
print("; ".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
