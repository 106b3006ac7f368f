#!/usr/bin/env python3
"""Writes model files that record per-tensor XXH3-64 checksums, with independent tools only:
gguf-py writes the GGUF, safetensors writes the .safetensors, and xxhsum (apt: xxhash) computes
every digest from the tensor's bytes. Run by the Conversion and CLI tests at test time (nothing
committed but this script):
    .venv/bin/python Fixtures/quantization/make-checksummed-files.py OUT_FOLDER
Writes OUT_FOLDER/checksummed.gguf, OUT_FOLDER/checksummed.safetensors, OUT_FOLDER/plain.gguf (no
checksums), malformed fields (wrong-type.gguf: INT32 digests; wrong-count.gguf: one digest too few;
bad-hex.safetensors: an uppercase digest) and prints a JSON manifest of the first three: for each file, every tensor's name, digest, absolute data
offset and byte count (offsets from gguf.GGUFReader and the safetensors header).
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import gguf
from gguf.quants import quantize
from safetensors.numpy import save_file

out = sys.argv[1]
rng = np.random.default_rng(5)


def xxh3_64(data: bytes) -> str:
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        line = subprocess.run(["xxhsum", "-H3", f.name], check=True, capture_output=True, text=True).stdout
    return line.strip().rsplit("= ", 1)[1]


tensors = {
    "token_embd.weight": rng.standard_normal((64, 32), dtype=np.float32),
    "blk.0.attn_norm.weight": np.ones(32, dtype=np.float32),
    "blk.0.attn_q.weight": rng.standard_normal((32, 32)).astype(np.float16),
    "blk.0.ffn_up.weight": quantize(rng.standard_normal((48, 64), dtype=np.float32), gguf.GGMLQuantizationType.Q8_0),
    "output.weight": rng.standard_normal((64, 32), dtype=np.float32),
}


def write_gguf(path, with_checksums, digest_type=gguf.GGUFValueType.UINT64, drop=0):
    writer = gguf.GGUFWriter(path, "llama")
    if with_checksums:
        digests = [int(xxh3_64(array.tobytes()), 16) for array in tensors.values()]
        if digest_type != gguf.GGUFValueType.UINT64:
            digests = [d & 0x7FFFFFFF for d in digests]
        digests = digests[:len(digests) - drop]
        writer.add_key_value("checksum.xxh3_64", digests, gguf.GGUFValueType.ARRAY, sub_type=digest_type)
    for name, array in tensors.items():
        if name == "blk.0.ffn_up.weight":
            writer.add_tensor(name, array, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        else:
            writer.add_tensor(name, array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    reader = gguf.GGUFReader(path)
    return [{"name": t.name, "xxh3_64": xxh3_64(bytes(t.data.view(np.uint8))), "offset": int(t.data_offset),
             "bytes": int(t.n_bytes)} for t in reader.tensors]


def write_safetensors(path, uppercase=False):
    plain = {name: array for name, array in tensors.items() if name != "blk.0.ffn_up.weight"}
    metadata = {f"checksum.xxh3_64.{name}": xxh3_64(array.tobytes()) for name, array in plain.items()}
    if uppercase:
        metadata["checksum.xxh3_64.output.weight"] = metadata["checksum.xxh3_64.output.weight"].upper()
    save_file(plain, path, metadata=metadata)
    with open(path, "rb") as f:
        header_length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_length))
    data_start = 8 + header_length
    return [{"name": name, "xxh3_64": metadata[f"checksum.xxh3_64.{name}"], "offset": data_start + entry["data_offsets"][0],
             "bytes": entry["data_offsets"][1] - entry["data_offsets"][0]}
            for name, entry in header.items() if name != "__metadata__"]


manifest = {
    "checksummed.gguf": write_gguf(os.path.join(out, "checksummed.gguf"), True),
    "plain.gguf": write_gguf(os.path.join(out, "plain.gguf"), False),
    "checksummed.safetensors": write_safetensors(os.path.join(out, "checksummed.safetensors")),
}
write_gguf(os.path.join(out, "wrong-type.gguf"), True, digest_type=gguf.GGUFValueType.INT32)
write_gguf(os.path.join(out, "wrong-count.gguf"), True, drop=1)
write_safetensors(os.path.join(out, "bad-hex.safetensors"), uppercase=True)
print(json.dumps(manifest))
