#!/usr/bin/env python3
"""Golden data for Q5_0, Q5_1 and the k-quants, and for llama.cpp's per-tensor mixes.

Needs llama-cpp-python 0.3.36 (its llama.cpp decides every expected byte; the files match that
version), gguf==0.19.0 and xxhash in one Python, e.g. the peer venv of
Tests/Benchmarks/llamacpp_peer.py:
    PEER_VENV/bin/pip install gguf==0.19.0 xxhash==4.1.0
    PEER_VENV/bin/python Fixtures/quantization/make_kquant_fixtures.py
Deterministic; writes into Fixtures/quantization/:

For each TYPE in q5_0 q5_1 q2_K q3_K q4_K q5_K q6_K:
    NAME.TYPE.bin        ggml's reference quantizer (ggml_quantize_chunk without an importance
                         matrix, from llama-cpp-python's libggml-base) on NAME.f32.bin, the inputs
                         of make-goldens.py (512 values: 16 blocks of 32, 2 super-blocks of 256)
    blocks.TYPE.bin      random blocks whose f16 scales are set to extremes (0, -0, +-65504,
                         subnormals, 1, random) and whose level bytes are random
    blocks.TYPE.f32.bin  gguf.quants.dequantize of blocks.TYPE.bin, little-endian f32
kquant-mixes.json        for make_kquant_model.py's llama.gguf and narrow.gguf: the XXH3-128 of
                         each input tensor's bytes, and for every whole-file type (pure and
                         llama-quantize's default mix; for narrow.gguf the k-quant mixes) the
                         type and XXH3-128 of each output tensor's bytes, read back with gguf-py
                         from llama_model_quantize's file
"""
import ctypes
import json
import os
import subprocess
import sys
import tempfile
import numpy as np
import gguf
import xxhash
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = ["normal", "weights", "uniform", "outliers", "zero-blocks", "tiny", "negative", "ties",
         "near-rounding", "constant"]
TYPES = {"q5_0": T.Q5_0, "q5_1": T.Q5_1, "q2_K": T.Q2_K, "q3_K": T.Q3_K, "q4_K": T.Q4_K,
         "q5_K": T.Q5_K, "q6_K": T.Q6_K}
# Byte offsets of each type's f16 scales inside its block (ggml-common.h).
SCALE_OFFSETS = {"q5_0": [0], "q5_1": [0, 2], "q2_K": [80, 82], "q3_K": [108], "q4_K": [0, 2],
                 "q5_K": [0, 2], "q6_K": [208]}
EXTREME_SCALES = [0x0000, 0x8000, 0x7BFF, 0xFBFF, 0x0001, 0x8001, 0x03FF, 0x3C00, 0xBC00, 0x0400]
FILE_TYPES = ["q2_k", "q3_k_s", "q3_k_m", "q3_k_l", "q4_k_s", "q4_k_m", "q5_k_s", "q5_k_m", "q6_k",
              "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "f16", "bf16", "f32"]
LLAMA_FTYPES = {"f32": 0, "f16": 1, "q4_0": 2, "q4_1": 3, "q8_0": 7, "q5_0": 8, "q5_1": 9, "q2_k": 10,
                "q3_k_s": 11, "q3_k_m": 12, "q3_k_l": 13, "q4_k_s": 14, "q4_k_m": 15, "q5_k_s": 16,
                "q5_k_m": 17, "q6_k": 18, "bf16": 32}
# Narrow rows: every k-quant mix, whose fallbacks (Q4_0, Q5_0, Q5_1, Q8_0) are 32-value types.
NARROW_FILE_TYPES = ["q2_k", "q3_k_s", "q3_k_m", "q3_k_l", "q4_k_s", "q4_k_m", "q5_k_s", "q5_k_m", "q6_k"]
rng = np.random.default_rng(20261201)


def write(name, array):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(np.ascontiguousarray(array).tobytes())


def ggml_base():
    import llama_cpp
    folder = os.path.join(os.path.dirname(llama_cpp.__file__), "lib")
    library = ctypes.CDLL(os.path.join(folder, "libggml-base.so"))
    library.ggml_quantize_chunk.restype = ctypes.c_size_t
    library.ggml_quantize_chunk.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
                                            ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p]
    return library


def ggml_quantize(library, values, qtype):
    rows, per_row = values.shape
    block, size = gguf.GGML_QUANT_SIZES[qtype]
    out = np.zeros(rows * per_row // block * size, dtype=np.uint8)
    values = np.ascontiguousarray(values, dtype=np.float32)
    library.ggml_quantize_chunk(int(qtype), values.ctypes.data, out.ctypes.data, 0, rows, per_row, None)
    return out


def make_random_block_goldens():
    for tname, qtype in TYPES.items():
        block, size = gguf.GGML_QUANT_SIZES[qtype]
        count = 64 if block == 32 else 16
        blocks = rng.integers(0, 256, (count, size), dtype=np.uint8)
        for index in range(count):
            for offset in SCALE_OFFSETS[tname]:
                choice = rng.integers(0, len(EXTREME_SCALES) + 4)
                bits = EXTREME_SCALES[choice] if choice < len(EXTREME_SCALES) else int(rng.integers(0, 0x7C00)) | (int(rng.integers(0, 2)) << 15)
                blocks[index, offset:offset + 2] = np.array([bits], dtype="<u2").view(np.uint8)
        if tname in ("q5_0", "q5_1"):
            blocks[0, :] = 0  # an all-zero block
        write(f"blocks.{tname}.bin", blocks)
        write(f"blocks.{tname}.f32.bin", dequantize(blocks, qtype).astype("<f4"))


def make_quantized_goldens():
    library = ggml_base()
    for name in CASES:
        values = np.fromfile(os.path.join(HERE, f"{name}.f32.bin"), dtype="<f4").reshape(2, 256)
        for tname, qtype in TYPES.items():
            write(f"{name}.{tname}.bin", ggml_quantize(library, values, qtype))


def tensor_digests(path):
    reader = gguf.GGUFReader(path)
    # "NAME TYPE DIGEST", one string per tensor: one line each in the JSON.
    return [f"{t.name} {t.tensor_type.name} {xxhash.xxh3_128_hexdigest(bytes(t.data.tobytes()))}" for t in reader.tensors]


def quantize_file(llama_cpp, source, destination, file_type, pure):
    params = llama_cpp.llama_model_quantize_default_params()
    params.nthread = 2
    params.ftype = LLAMA_FTYPES[file_type]
    params.pure = pure
    status = llama_cpp.llama_model_quantize(source.encode(), destination.encode(), params)
    if status != 0:
        sys.exit(f"llama_model_quantize {file_type} pure={pure} failed with status {status}")


def make_mix_goldens():
    import llama_cpp
    silence = llama_cpp.llama_log_callback(lambda level, text, data: None)
    llama_cpp.llama_log_set(silence, None)
    result = {"llama.cpp": f"llama-cpp-python {llama_cpp.__version__}", "models": {}}
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, os.path.join(HERE, "make_kquant_model.py"), folder], check=True,
                       stdout=subprocess.DEVNULL)
        for model, file_types in (("llama.gguf", FILE_TYPES), ("narrow.gguf", NARROW_FILE_TYPES)):
            source = os.path.join(folder, model)
            entry = {"input": tensor_digests(source), "outputs": {}}
            for file_type in file_types:
                for pure in ((True, False) if model == "llama.gguf" else (False,)):
                    destination = os.path.join(folder, "out.gguf")
                    quantize_file(llama_cpp, source, destination, file_type, pure)
                    key = f"{file_type}{' pure' if pure else ''}"
                    file_type_field = gguf.GGUFReader(destination).fields["general.file_type"]
                    entry["outputs"][key] = {"file_type": int(file_type_field.parts[-1][0]),
                                             "tensors": tensor_digests(destination)}
                    os.remove(destination)
            result["models"][model] = entry
    with open(os.path.join(HERE, "kquant-mixes.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    make_random_block_goldens()
    make_quantized_goldens()
    make_mix_goldens()
