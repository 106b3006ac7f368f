#!/usr/bin/env python3
"""Compares the tensors of two GGUF files by name: same type, shape and stored bytes.
Usage: compare_tensors.py A.gguf B.gguf    (exit 1 and the differing names when they differ)
"""
import sys
import numpy as np
import gguf

a, b = (gguf.GGUFReader(path) for path in sys.argv[1:3])
tensors_b = {t.name: t for t in b.tensors}
problems = []
if sorted(t.name for t in a.tensors) != sorted(tensors_b):
    problems.append("different tensor names")
for ta in a.tensors:
    tb = tensors_b.get(ta.name)
    if tb is None:
        continue
    if ta.tensor_type != tb.tensor_type or list(ta.shape) != list(tb.shape):
        problems.append(f"{ta.name}: {ta.tensor_type.name}{list(ta.shape)} vs {tb.tensor_type.name}{list(tb.shape)}")
    elif not np.array_equal(ta.data.view(np.uint8), tb.data.view(np.uint8)):
        problems.append(f"{ta.name}: bytes differ")
for key in ("general.file_type", "general.quantization_version"):
    fa, fb = a.fields.get(key), b.fields.get(key)
    va = fa.parts[fa.data[0]].tolist() if fa else None
    vb = fb.parts[fb.data[0]].tolist() if fb else None
    if va != vb:
        problems.append(f"{key}: {va} vs {vb}")
if problems:
    print("DIFFERENT: " + "; ".join(problems))
    sys.exit(1)
print(f"identical: {len(a.tensors)} tensors, same types, shapes and bytes")
