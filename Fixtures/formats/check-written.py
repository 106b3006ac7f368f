#!/usr/bin/env python3
"""Reads a file written by this project with the reference packages and compares it with
expected values: gguf 0.19.0's GGUFReader for GGUF, safetensors 0.8.0's safe_open (and the
header parsed with Python's json) for safetensors. Also checks the recorded XXH3-64 checksums
with the xxhash package. Run by the Swift tests (GGUFWriterTests, SafetensorsWriterTests,
ContainerConversion tests); by hand:

    .venv/bin/python Fixtures/formats/check-written.py FILE EXPECTED.json KEY

EXPECTED.json[KEY] has the shape of Fixtures/formats/expected.json's entries: "metadata" (a
list of {key, type, element_type?, value} for GGUF, {key, value} for safetensors) and "tensors"
({name, dtype, shape, data_hex}). Prints each difference and exits 1 if there is any.
"""
import json
import struct
import sys

import numpy as np
import xxhash

problems = []


def differ(what, got, want):
    if got != want:
        problems.append(f"{what}: read {got!r}, expected {want!r}")


def same_value(got, want):
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(same_value(g, w) for g, w in zip(got, want))
    if isinstance(want, float) or isinstance(got, float):
        return float(got) == float(want)
    return got == want and type(got) is type(want)


def flatten(values):
    return [x for v in values for x in (flatten(v) if isinstance(v, list) else [v])]


def check_gguf(path, expected):
    from gguf import GGUFReader, GGUFValueType as V
    reader = GGUFReader(path)
    keys = [k for k in reader.fields if not k.startswith("GGUF.")]
    want_keys = [m["key"] for m in expected["metadata"]] + ["checksum.xxh3_64"]
    differ("metadata keys", keys, want_keys)
    for m in expected["metadata"]:
        field = reader.fields.get(m["key"])
        if field is None:
            continue
        types = [t.name for t in field.types]
        differ(f"type of {m['key']}", types[0], m["type"])
        value = field.contents()
        want = m["value"]
        if "inner_type" in m:
            differ(f"types of {m['key']}", types, ["ARRAY", "ARRAY", m["inner_type"]])
            want = flatten(want)
        elif "element_type" in m:
            differ(f"element type of {m['key']}", types[1], m["element_type"])
        if not same_value(value, want):
            problems.append(f"value of {m['key']}: read {value!r}, expected {want!r}")
    differ("tensor names", [t.name for t in reader.tensors], [t["name"] for t in expected["tensors"]])
    data = open(path, "rb").read()
    digests = []
    for t, want in zip(reader.tensors, expected["tensors"]):
        differ(f"dtype of {t.name}", t.tensor_type.name, want["dtype"])
        differ(f"shape of {t.name}", [int(d) for d in reversed(t.shape.tolist())], want["shape"])
        stored = data[t.data_offset:t.data_offset + t.n_bytes]
        differ(f"data of {t.name}", stored.hex(), want["data_hex"])
        digests.append(xxhash.xxh3_64_intdigest(stored))
    field = reader.fields.get("checksum.xxh3_64")
    if field is not None:
        differ("checksum.xxh3_64 element type", [t.name for t in field.types], ["ARRAY", "UINT64"])
        differ("checksum.xxh3_64", [int(x) for x in field.contents()], digests)


def check_safetensors(path, expected):
    from safetensors import safe_open
    raw = open(path, "rb").read()
    (length,) = struct.unpack("<Q", raw[:8])
    if length % 8:
        problems.append(f"header length {length} is not a multiple of 8")
    header = json.loads(raw[8:8 + length])
    start = 8 + length
    with safe_open(path, "np") as f:
        metadata = f.metadata() or {}
        names = sorted(f.keys())
        differ("tensor names", names, sorted(t["name"] for t in expected["tensors"]))
        for want in expected["tensors"]:
            name = want["name"]
            if name not in names:
                continue
            view = f.get_slice(name)
            differ(f"dtype of {name}", view.get_dtype(), want["dtype"])
            differ(f"shape of {name}", list(view.get_shape()), want["shape"])
            begin, end = header[name]["data_offsets"]
            stored = raw[start + begin:start + end]
            differ(f"data of {name}", stored.hex(), want["data_hex"])
            differ(f"checksum of {name}", metadata.get("checksum.xxh3_64." + name), xxhash.xxh3_64_hexdigest(stored))
            if view.get_dtype() in ("F32", "I32", "U8", "F64", "I64"):
                array = f.get_tensor(name)
                differ(f"numpy bytes of {name}", np.ascontiguousarray(array).tobytes().hex(), want["data_hex"])
    plain = {k: v for k, v in metadata.items() if not k.startswith("checksum.xxh3_64.")}
    differ("metadata", plain, {m["key"]: m["value"] for m in expected["metadata"]})


def main():
    path, expected_path, key = sys.argv[1:4]
    with open(expected_path) as f:
        expected = json.load(f)[key]
    if path.endswith(".gguf"):
        check_gguf(path, expected)
    else:
        check_safetensors(path, expected)
    for line in problems:
        print(line)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
