#!/usr/bin/env python3
"""Writes the GGUF and safetensors fixtures of Tests/GGUFTests, Tests/SafetensorsTests and the
inspect tests with the reference Python packages (gguf 0.19.0's GGUFWriter, safetensors 0.8.0,
numpy, torch for BF16 and the F8 types), and expected.json: what each file holds, taken from the
values this script hands to those writers and from the files as those packages read them back.
Nothing here uses this project's code.

Rerun from the repository root (deterministic: the same bytes every time):
    .venv/bin/python Fixtures/formats/make-fixtures.py
"""
import json
import os
import struct

import numpy as np
import torch
from gguf import GGUFReader, GGUFValueType as V, GGUFWriter, GGMLQuantizationType as Q
from safetensors import safe_open
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20260523)

# Every scalar type, each array element type, nested arrays, and 64-bit extremes.
SCALARS = [
    ("test.uint8", V.UINT8, 200),
    ("test.int8", V.INT8, -100),
    ("test.uint16", V.UINT16, 60000),
    ("test.int16", V.INT16, -30000),
    ("test.uint32", V.UINT32, 4000000000),
    ("test.int32", V.INT32, -2000000000),
    ("test.float32", V.FLOAT32, 1e-5),
    ("test.bool", V.BOOL, True),
    ("test.string", V.STRING, "h\u00e9llo \u2713 \"quoted\"\n"),
    ("test.uint64", V.UINT64, 2**64 - 1),
    ("test.int64", V.INT64, -(2**63)),
    ("test.float64", V.FLOAT64, 0.1),
]
ARRAYS = [
    ("test.array.uint8", V.UINT8, [0, 1, 255]),
    ("test.array.int8", V.INT8, [-128, 0, 127]),
    ("test.array.uint16", V.UINT16, [0, 65535]),
    ("test.array.int16", V.INT16, [-32768, 32767]),
    ("test.array.uint32", V.UINT32, [0, 4294967295]),
    ("test.array.int32", V.INT32, list(range(-10, 30))),
    ("test.array.float32", V.FLOAT32, [0.5, -1.25, 1e-5]),
    ("test.array.bool", V.BOOL, [True, False, True]),
    ("test.array.string", V.STRING, ["tok%d" % i for i in range(20)] + ["\u00e9\u2713"]),
    ("test.array.uint64", V.UINT64, [2**63 + 1, 2**64 - 1]),
    ("test.array.int64", V.INT64, [-(2**63), 2**63 - 1]),
    ("test.array.float64", V.FLOAT64, [0.1, -2.5]),
]
# GGUFWriter infers nested element types from the first element: Python ints become INT32.
NESTED = [
    ("test.array.nested_int32", [[1, 2], [3, 4, 5]], V.INT32),
    ("test.array.nested_string", [["a"], ["b", "c"]], V.STRING),
]


def f32(x):
    return float(np.float32(x))


def expected_scalar(vtype, value):
    return f32(value) if vtype == V.FLOAT32 else value


def gguf_tensors():
    """(name, numpy array as handed to GGUFWriter, raw ggml type or None)."""
    bf16 = torch.tensor([[1.5, -2.0, 3.25, 0.0], [1e-3, 7.0, -0.5, 65504.0]], dtype=torch.bfloat16)
    return [
        ("f32.matrix", np.arange(12, dtype=np.float32).reshape(3, 4) / 3, None),
        ("f16.matrix", (np.arange(16, dtype=np.float16) - 8).reshape(2, 8), None),
        ("bf16.matrix", bf16.view(torch.uint8).numpy().reshape(2, 8), Q.BF16),
        ("q8_0.blocks", rng.integers(0, 256, size=(2, 34), dtype=np.uint8), Q.Q8_0),
        ("q4_0.blocks", rng.integers(0, 256, size=(1, 36), dtype=np.uint8), Q.Q4_0),
        ("q4_1.blocks", rng.integers(0, 256, size=(3, 20), dtype=np.uint8), Q.Q4_1),
        ("q4_k.block", rng.integers(0, 256, size=(1, 144), dtype=np.uint8), Q.Q4_K),
        ("i8.vector", np.arange(-5, 5, dtype=np.int8), None),
        ("i16.vector", np.array([-32768, 0, 32767], dtype=np.int16), None),
        ("i32.vector", np.array([-(2**31), 2**31 - 1], dtype=np.int32), None),
        ("i64.vector", np.array([-(2**63), 2**63 - 1], dtype=np.int64), None),
        ("f64.vector", np.array([0.1, -1e300], dtype=np.float64), None),
        ("f32.four_dims", np.arange(12, dtype=np.float32).reshape(2, 1, 3, 2), None),
    ]


def write_gguf(name, alignment=None, plain_only=False):
    path = os.path.join(HERE, name)
    writer = GGUFWriter(path, "fixture")
    metadata = [{"key": "general.architecture", "type": "STRING", "value": "fixture"}]
    if alignment is not None:
        writer.add_custom_alignment(alignment)
        metadata.append({"key": "general.alignment", "type": "UINT32", "value": alignment})
    for key, vtype, value in SCALARS:
        writer.add_key_value(key, value, vtype)
        metadata.append({"key": key, "type": vtype.name, "value": expected_scalar(vtype, value)})
    for key, vtype, values in ARRAYS:
        writer.add_key_value(key, values, V.ARRAY, sub_type=vtype)
        metadata.append({"key": key, "type": "ARRAY", "element_type": vtype.name,
                         "value": [expected_scalar(vtype, v) for v in values]})
    for key, values, inner in NESTED:
        writer.add_key_value(key, values, V.ARRAY, sub_type=V.ARRAY)
        metadata.append({"key": key, "type": "ARRAY", "element_type": "ARRAY", "inner_type": inner.name,
                         "value": values})
    for tensor_name, array, raw in gguf_tensors():
        if plain_only and raw not in (None, Q.BF16):
            continue
        writer.add_tensor(tensor_name, array, raw_dtype=raw)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    reader = GGUFReader(path)
    tensors = []
    for t in reader.tensors:
        start = t.data_offset
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read(t.n_bytes)
        tensors.append({
            "name": t.name,
            "dtype": t.tensor_type.name,
            "shape": [int(d) for d in reversed(t.shape.tolist())],
            "offset": int(start),
            "bytes": int(t.n_bytes),
            "data_hex": data.hex(),
        })
    return {"version": 3, "alignment": alignment or 32, "metadata": metadata, "tensors": tensors}


def safetensors_tensors():
    t = {
        "a.f64": torch.tensor([0.1, -1e300], dtype=torch.float64),
        "b.f32": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 7,
        "c.f16": torch.tensor([[1.0, -2.5], [65504.0, 1e-4]], dtype=torch.float16),
        "d.bf16": torch.tensor([1.5, -2.0, 3.25], dtype=torch.bfloat16),
        "e.i64": torch.tensor([-(2**63), 2**63 - 1], dtype=torch.int64),
        "f.i32": torch.tensor([[-(2**31)], [2**31 - 1]], dtype=torch.int32),
        "g.i16": torch.tensor([-32768, 32767], dtype=torch.int16),
        "h.i8": torch.tensor([-128, 0, 127], dtype=torch.int8),
        "i.u8": torch.tensor([0, 200, 255], dtype=torch.uint8),
        "j.bool": torch.tensor([True, False, True]),
        "k.f8_e4m3": torch.tensor([0.5, -1.0, 448.0], dtype=torch.float8_e4m3fn),
        "l.f8_e5m2": torch.tensor([0.5, -1.0, 57344.0], dtype=torch.float8_e5m2),
        "m.f8_e4m3fnuz": torch.tensor([0.5, -1.0], dtype=torch.float8_e4m3fnuz),
        "n.f8_e5m2fnuz": torch.tensor([0.5, -1.0], dtype=torch.float8_e5m2fnuz),
        "o.f8_e8m0": torch.tensor([0.5, 4.0], dtype=torch.float8_e8m0fnu),
        "p.u16": torch.tensor([0, 65535], dtype=torch.uint16),
        "q.u32": torch.tensor([0, 2**32 - 1], dtype=torch.uint32),
        "r.u64": torch.tensor([0, 2**63 + 5], dtype=torch.uint64),
        "s.c64": torch.tensor([1 + 2j, -0.5j], dtype=torch.complex64),
        "t.scalar": torch.tensor(3.0, dtype=torch.float32),
        "u.empty": torch.zeros((0, 4), dtype=torch.float32),
    }
    return t


def describe_safetensors(path):
    """The file as the safetensors package reads it, with offsets from its own header."""
    with open(path, "rb") as f:
        raw = f.read()
    (header_length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + header_length])
    data_start = 8 + header_length
    tensors = []
    with safe_open(path, "pt") as f:
        metadata = f.metadata() or {}
        for name in f.keys():
            entry = header[name]
            begin, end = entry["data_offsets"]
            tensors.append({
                "name": name,
                "dtype": f.get_slice(name).get_dtype(),
                "shape": list(f.get_slice(name).get_shape()),
                "offset": data_start + begin,
                "bytes": end - begin,
                "data_hex": raw[data_start + begin:data_start + end].hex(),
            })
    tensors.sort(key=lambda t: (t["offset"], t["bytes"], t["name"]))
    return {"metadata": [{"key": k, "value": metadata[k]} for k in sorted(metadata)], "tensors": tensors}


def write_safetensors():
    path = os.path.join(HERE, "all-dtypes.safetensors")
    # One key only: the package keeps __metadata__ in a hash map, so several keys come out in any order.
    save_file(safetensors_tensors(), path, metadata={"note": "\u00fcn\u00efcode \u2713"})
    return describe_safetensors(path)


def write_subbyte_safetensors():
    """F4 and F6 have no torch or numpy dtype the package saves from, so this header is written
    here by hand (Python's json) and the file is then read back by safe_open, whose view of it
    (dtype, shape, bytes) is the expected value."""
    path = os.path.join(HERE, "sub-byte.safetensors")
    entries = [("a.f4", "F4", [2, 4], 4), ("b.f6_e2m3", "F6_E2M3", [4], 3), ("c.f6_e3m2", "F6_E3M2", [2, 4], 6)]
    header, offset, data = {}, 0, b""
    for name, dtype, shape, nbytes in entries:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + nbytes]}
        data += bytes(range(offset + 1, offset + 1 + nbytes))
        offset += nbytes
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + data)
    return describe_safetensors(path)


def write_sharded():
    folder = os.path.join(HERE, "sharded")
    os.makedirs(folder, exist_ok=True)
    shards = {
        "model-00001-of-00002.safetensors": {
            "model.embed_tokens.weight": torch.arange(8, dtype=torch.float32).reshape(4, 2),
            "model.norm.weight": torch.ones(2, dtype=torch.bfloat16),
        },
        "model-00002-of-00002.safetensors": {
            "lm_head.weight": torch.arange(8, dtype=torch.float16).reshape(4, 2),
        },
    }
    weight_map, total = {}, 0
    described = {}
    for shard, tensors in shards.items():
        save_file(tensors, os.path.join(folder, shard), metadata={"format": "pt"})
        for name, t in tensors.items():
            weight_map[name] = shard
            total += t.numel() * t.element_size()
        described[shard] = describe_safetensors(os.path.join(folder, shard))
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}, f, indent=2)
    return {"total_size": total, "weight_map": weight_map, "shards": described}


def main():
    expected = {
        "all-types.gguf": write_gguf("all-types.gguf"),
        "aligned-64.gguf": write_gguf("aligned-64.gguf", alignment=64),
        # Only types safetensors holds too, for conversion tests.
        "plain-types.gguf": write_gguf("plain-types.gguf", plain_only=True),
        "all-dtypes.safetensors": write_safetensors(),
        "sub-byte.safetensors": write_subbyte_safetensors(),
        "sharded": write_sharded(),
    }
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
