#!/usr/bin/env python3
"""Golden data for the Quantization module, made with independent tools only.

Rerun from the repository root (writes Fixtures/quantization/*.bin; deterministic):
    .venv/bin/python Fixtures/quantization/make-goldens.py

Block quantizers: gguf==0.19.0's gguf.quants (the numpy twin of ggml's reference quantizers).
For each case NAME (512 f32 values, 16 blocks of 32, several distributions):
    NAME.f32.bin           the input, little-endian f32
    NAME.TYPE.bin          gguf.quants.quantize(input, TYPE) bytes, TYPE in q8_0 q4_0 q4_1
    NAME.TYPE.f32.bin      gguf.quants.dequantize of those bytes, little-endian f32
Float conversions: numpy (f16) and gguf.quants.BF16 (bf16, ggml's rounding), cross-checked
against torch on every non-NaN input (the script stops if they disagree):
    floats.f32.in.bin                       u32 bit patterns: specials, f16/bf16 halfway points, random
    floats.f32-to-f16.out.bin               u16, numpy astype(float16)
    floats.f32-to-bf16.out.bin              u16, gguf.quants.BF16 (ggml_compute_fp32_to_bf16)
    floats.f16-to-f32.in.bin / .out.bin     u16 bit patterns -> u32, numpy astype(float32)
"""
import os
import numpy as np
import torch
from gguf import GGMLQuantizationType as T
from gguf.quants import quantize, dequantize, BF16

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261123)
BLOCKS = 16


def write(name, array):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes())


def blocks_of(values):
    return np.asarray(values, dtype=np.float32).reshape(BLOCKS, 32)


def normal():
    return blocks_of(rng.standard_normal(BLOCKS * 32))


def weights_like():
    return blocks_of(rng.normal(0, 0.02, BLOCKS * 32))


def uniform():
    return blocks_of(rng.uniform(-1, 1, BLOCKS * 32))


def heavy_outliers():
    x = rng.standard_normal(BLOCKS * 32).astype(np.float32)
    spots = rng.choice(BLOCKS * 32, 12, replace=False)
    x[spots] *= np.float32(1000)
    x[5] = 3.0e5      # block 0: scales stay finite for q8_0 (d ~ 2362), overflow f16 for q4_0
    x[40] = -7.0e5    # block 1: the q4 scales overflow to -inf/inf in f16
    x[100] = 1.0e7    # block 3: even q8_0's scale overflows f16
    return blocks_of(x)


def zero_blocks():
    x = normal()
    x[::2] = 0.0
    return x


def tiny():
    x = rng.standard_normal((BLOCKS, 32)).astype(np.float32)
    scales = np.array([1e-3, 1e-5, 1e-7, 1e-9, 1e-20, 1e-30, 1e-36, 1e-37] * 2, dtype=np.float32)
    x *= scales[:, None]
    x[15] = rng.standard_normal(32).astype(np.float32) * np.float32(1e-39)  # subnormal: 1/d overflows
    return x


def all_negative():
    x = -np.abs(normal())
    x[3] = -np.abs(rng.standard_normal(32)) - 5.0
    return x


def ties():
    x = normal()
    for b in range(BLOCKS):
        m = np.float32(3.0 + b)
        i, j = rng.choice(32, 2, replace=False)
        x[b] = np.clip(x[b], -2.0, 2.0)
        if b % 3 == 0:
            x[b, min(i, j)], x[b, max(i, j)] = m, -m      # positive first
        elif b % 3 == 1:
            x[b, min(i, j)], x[b, max(i, j)] = -m, m      # negative first
        else:
            x[b, i], x[b, j] = m, m                        # equal maxima
    return x


def near_rounding():
    """Values whose scaled form lands on or next to x.5 and integer boundaries."""
    x = np.zeros((BLOCKS, 32), dtype=np.float32)
    for b in range(BLOCKS):
        kind = b % 4
        base = rng.integers(-7, 7, 32).astype(np.float32)
        if kind == 0:    # q8_0 with d = 1: amax 127, values k + 0.5 and neighbours
            v = rng.integers(-120, 120, 32).astype(np.float32) + np.float32(0.5)
            v[1::3] = np.nextafter(v[1::3], np.float32(np.inf))
            v[2::3] = np.nextafter(v[2::3], np.float32(-np.inf))
            v[0] = 127.0
        elif kind == 1:  # q4_0 with d = 1 (largest magnitude -8): x + 8.5 near integers
            v = base - np.float32(0.5)
            v[1::3] = np.nextafter(v[1::3], np.float32(np.inf))
            v[2::3] = np.nextafter(v[2::3], np.float32(-np.inf))
            v[0] = -8.0
        elif kind == 2:  # q4_1 with min 0, max 15, d = 1: x + 0.5 near integers
            v = np.abs(base) + np.float32(0.5)
            v[1::3] = np.nextafter(v[1::3], np.float32(np.inf))
            v[2::3] = np.nextafter(v[2::3], np.float32(-np.inf))
            v[0], v[1] = 0.0, 15.0
        else:            # scales that are not powers of two
            v = (base + np.float32(0.5)) * np.float32(0.1)
        x[b] = v
    return x


def constant_blocks():
    values = [1.0, -1.0, 0.3, -2.5e-3, 65504.0, 1e4, -7.0, 1e-8] * 2
    return np.array([[v] * 32 for v in values], dtype=np.float32)


CASES = {
    "normal": normal, "weights": weights_like, "uniform": uniform, "outliers": heavy_outliers,
    "zero-blocks": zero_blocks, "tiny": tiny, "negative": all_negative, "ties": ties,
    "near-rounding": near_rounding, "constant": constant_blocks,
}
TYPES = {"q8_0": T.Q8_0, "q4_0": T.Q4_0, "q4_1": T.Q4_1}


def make_block_goldens():
    with np.errstate(all="ignore"):  # subnormal scales overflow 1/d on purpose (case "tiny")
        for name, make in CASES.items():
            x = make().reshape(4, 128)
            write(f"{name}.f32.bin", x.astype(np.float32))
            for tname, qtype in TYPES.items():
                q = quantize(x, qtype)
                write(f"{name}.{tname}.bin", q.astype(np.uint8))
                write(f"{name}.{tname}.f32.bin", dequantize(q, qtype).astype(np.float32))


def special_f32_bits():
    specials = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001,
                0xFF800001, 0x7FBFFFFF, 0x7F802000, 0x7F801FFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x00000001,
                0x80000001, 0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x3F800000, 0xBF800000]
    f16_edges = np.array([65504.0, 65519.996, 65520.0, 65536.0, 2**-14, 2**-24, 2**-25, 2**-25 * 1.0000001,
                          2**-24 * 1.5, 2**-24 * 2.5, 6.1e-5, 1e-8, 0.1, 1 / 3], dtype=np.float32)
    bits = np.array(specials, dtype=np.uint32)
    edge_bits = f16_edges.view(np.uint32)
    edge_bits = np.concatenate([edge_bits, edge_bits | 0x80000000])
    # Halfway points of f16 and bf16 rounding, and their neighbours, over many exponents.
    mantissas = rng.integers(0, 1 << 23, 512, dtype=np.uint32)
    exponents = rng.integers(96, 146, 512, dtype=np.uint32)
    in_range = (exponents << 23) | mantissas
    halfway_f16 = (in_range & ~np.uint32(0x1FFF)) | np.uint32(0x1000)
    halfway_bf16 = (in_range & ~np.uint32(0xFFFF)) | np.uint32(0x8000)
    around = np.concatenate([halfway_f16, halfway_f16 + 1, halfway_f16 - 1, halfway_bf16, halfway_bf16 + 1, halfway_bf16 - 1])
    signs = rng.integers(0, 2, around.size, dtype=np.uint32) << 31
    random_bits = rng.integers(0, 1 << 32, 2048, dtype=np.uint64).astype(np.uint32)
    return np.concatenate([bits, edge_bits, in_range, around | signs, random_bits]).astype(np.uint32)


def make_float_goldens():
    bits = special_f32_bits()
    values = bits.view(np.float32)
    np.seterr(over="ignore")  # values past 65504 become infinity in f16 on purpose
    nan = np.isnan(values)

    f16 = values.astype(np.float16).view(np.uint16)
    torch_f16 = torch.from_numpy(values.copy()).to(torch.float16).view(torch.int16).numpy().view(np.uint16)
    assert np.array_equal(f16[~nan], torch_f16[~nan]), "numpy and torch disagree on f32 -> f16"
    assert np.isnan(torch_f16.view(np.float16)[nan]).all() and np.isnan(f16.view(np.float16)[nan]).all()
    write("floats.f32.in.bin", bits)
    write("floats.f32-to-f16.out.bin", f16)

    bf16 = BF16.quantize(values).view(np.uint16)
    torch_bf16 = torch.from_numpy(values.copy()).to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
    assert np.array_equal(bf16[~nan], torch_bf16[~nan]), "gguf and torch disagree on f32 -> bf16"
    assert ((bf16[nan] & 0x7FFF) > 0x7F80).all(), "a NaN lost its NaN-ness in bf16"
    write("floats.f32-to-bf16.out.bin", bf16)

    halves = np.concatenate([np.arange(0, 0x400, dtype=np.uint16), np.arange(0x7C00, 0x8400, dtype=np.uint16),
                             np.arange(0xFC00, 0x10000, dtype=np.uint32).astype(np.uint16),
                             rng.integers(0, 1 << 16, 2048, dtype=np.uint32).astype(np.uint16)])
    widened = halves.view(np.float16).astype(np.float32)
    torch_widened = torch.from_numpy(halves.view(np.float16).copy()).to(torch.float32).numpy()
    hnan = np.isnan(widened)
    assert np.array_equal(widened[~hnan].view(np.uint32), torch_widened[~hnan].view(np.uint32))
    assert np.isnan(torch_widened[hnan]).all()
    write("floats.f16-to-f32.in.bin", halves)
    write("floats.f16-to-f32.out.bin", widened.view(np.uint32))


if __name__ == "__main__":
    make_block_goldens()
    make_float_goldens()
