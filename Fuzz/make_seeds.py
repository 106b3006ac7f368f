"""Writes the generated part of the fuzz seed corpora (Fuzz/seeds/TARGET/), small inputs that the
committed fixtures do not already provide: a split GGUF in one input, GGUF vocabularies, torch.save
checkpoints, a tiktoken file, zstd streams, wheels (zip), safetensors indexes, tokenizer texts, a vocabulary cache.
scripts/fuzz.sh adds the fixtures themselves (Fixtures/formats ...) at run time.

Every seed is written by an independent tool (gguf-py, torch, safetensors, the zstd CLI) except the
vocabulary cache, which only llama3 writes: give its binary as LLAMA3 (default .build/debug/llama3).
Deterministic; run from the repository root:
    .venv/bin/python Fuzz/make_seeds.py
"""
import base64
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

import gguf
import torch
from safetensors.numpy import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "Fuzz", "seeds")
SMALL_TOKENIZER = os.path.join(ROOT, "Fixtures", "tokenizer", "small-tokenizer.json")
LLAMACPP_GGUF = os.path.join(ROOT, "Fixtures", "reference-model", "llamacpp-converted", "model-q8_0.gguf")
PART_SEPARATOR = b"\n--PART--\n"  # Fuzz/Sources/fuzz-gguf-split


def folder(target):
    path = os.path.join(SEEDS, target)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def tiny_tensors():
    rng = np.random.default_rng(7)
    return [
        ("token_embd.weight", rng.standard_normal((4, 8)).astype(np.float16)),
        ("blk.0.attn_norm.weight", np.ones(8, dtype=np.float32)),
        ("blk.0.attn_q.weight", rng.standard_normal((8, 8)).astype(np.float32)),
        ("output_norm.weight", np.ones(8, dtype=np.float32)),
    ]


def gguf_bytes(fill, tmp, name="x.gguf", split_max_tensors=0):
    path = os.path.join(tmp, name)
    writer = gguf.GGUFWriter(path, "llama", split_max_tensors=split_max_tensors)
    fill(writer)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def llama_keys(writer):
    writer.add_name("fuzz seed")
    writer.add_context_length(64)
    writer.add_embedding_length(8)
    writer.add_block_count(1)
    writer.add_feed_forward_length(16)
    writer.add_head_count(2)
    writer.add_head_count_kv(1)
    writer.add_rope_freq_base(500000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_array("fuzz.floats", [0.5, -1.0, 2.0])
    writer.add_array("fuzz.strings", ["a", "", "\u00e9"])


def copy_tokenizer_keys(writer):
    reader = gguf.GGUFReader(LLAMACPP_GGUF)
    for field in reader.fields.values():
        if not field.name.startswith("tokenizer."):
            continue
        kind = field.types[0]
        if kind == gguf.GGUFValueType.ARRAY:
            values = [field.contents(i) for i in range(len(field.data))]
            assert field.types[1] in (gguf.GGUFValueType.STRING, gguf.GGUFValueType.INT32), field.types
            writer.add_array(field.name, values if field.types[1] == gguf.GGUFValueType.STRING else [int(v) for v in values])
        elif kind == gguf.GGUFValueType.STRING:
            writer.add_string(field.name, field.contents())
        else:
            writer.add_key_value(field.name, field.contents(), kind)


def gguf_seeds(tmp):
    out = folder("gguf")

    def model(writer):
        llama_keys(writer)
        for name, array in tiny_tensors():
            writer.add_tensor(name, array)
        q = gguf.quants.quantize(np.linspace(-1, 1, 64, dtype=np.float32).reshape(2, 32), gguf.GGMLQuantizationType.Q8_0)
        writer.add_tensor("blk.0.ffn_down.weight", q, raw_dtype=gguf.GGMLQuantizationType.Q8_0)

    shutil.copy(gguf_bytes(model, tmp), os.path.join(out, "tiny-llama.gguf"))

    def empty(writer):
        writer.add_uint32("general.alignment", 64)

    shutil.copy(gguf_bytes(empty, tmp, "empty.gguf"), os.path.join(out, "no-tensors.gguf"))

    vocab = folder("vocab-gguf")

    def vocabulary(writer):
        copy_tokenizer_keys(writer)

    shutil.copy(gguf_bytes(vocabulary, tmp, "vocab.gguf"), os.path.join(vocab, "small-vocabulary.gguf"))

    split = folder("gguf-split")
    split_tmp = os.path.join(tmp, "split")
    os.makedirs(split_tmp)

    def split_model(writer):
        llama_keys(writer)
        for name, array in tiny_tensors():
            writer.add_tensor(name, array)

    gguf_bytes(split_model, split_tmp, "tiny.gguf", split_max_tensors=2)
    parts = sorted(p for p in os.listdir(split_tmp) if "-of-" in p)
    assert len(parts) == 2, parts
    data = PART_SEPARATOR.join(open(os.path.join(split_tmp, p), "rb").read() for p in parts)
    write(os.path.join(split, "tiny-2-parts"), data)


def safetensors_index_seeds():
    out = folder("safetensors-index")
    shutil.copy(os.path.join(ROOT, "Fixtures", "formats", "sharded", "model.safetensors.index.json"), os.path.join(out, "two-shards.json"))
    weight_map = {f"model.layers.{i}.mlp.up_proj.weight": f"model-{i % 3 + 1:05d}-of-00003.safetensors" for i in range(6)}
    write(os.path.join(out, "three-shards.json"), json.dumps({"metadata": {"total_size": 1234, "format": "pt"}, "weight_map": weight_map}, indent=2).encode())


def safetensors_seeds():
    out = folder("safetensors")
    rng = np.random.default_rng(3)
    tensors = {"a": rng.standard_normal((2, 3)).astype(np.float32), "b": np.arange(4, dtype=np.int64), "c": np.zeros((0, 2), dtype=np.float16)}
    save_file(tensors, os.path.join(out, "three-tensors.safetensors"), metadata={"format": "pt", "note": "fuzz seed"})


def pth_seeds():
    out = folder("pth")
    torch.manual_seed(5)
    base = torch.randn(4, 6)
    state = {
        "tok_embeddings.weight": torch.randn(4, 6, dtype=torch.bfloat16),
        "layers.0.attention.wq.weight": base,
        "layers.0.attention_norm.weight": torch.ones(6, dtype=torch.float16),
        "row": base[1],  # a view sharing the storage, at an offset
        "scalar": torch.tensor(3.0),
        "steps": torch.arange(3, dtype=torch.int64),
    }
    torch.save(state, os.path.join(out, "state-dict.pth"))
    torch.save({"w": torch.randn(3, 2)}, os.path.join(out, "one-tensor.pth"))
    torch.save({"w": torch.randn(2, 2)}, os.path.join(out, "uncompressed-names.pth"), _use_new_zipfile_serialization=True)


def byte_decoder():
    # GPT-2's byte-level alphabet: printable bytes map to themselves, the others to U+0100 upward.
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(printable, chars)}


def vocabulary_seeds():
    out = folder("vocab-tiktoken")
    with open(SMALL_TOKENIZER) as f:
        model = json.load(f)["model"]
    decoder = byte_decoder()
    pieces = sorted(((rank, bytes(decoder[c] for c in token)) for token, rank in model["vocab"].items()))
    lines = b"".join(base64.b64encode(piece) + b" " + str(rank).encode() + b"\n" for rank, piece in pieces)
    write(os.path.join(out, "small.tiktoken"), lines)
    shutil.copy(SMALL_TOKENIZER, os.path.join(folder("vocab-tokenizer-json"), "small-tokenizer.json"))


def vocabulary_cache_seed(tmp):
    out = folder("vocab-cache")
    llama3 = os.environ.get("LLAMA3", os.path.join(ROOT, ".build", "debug", "llama3"))
    cache = os.path.join(tmp, "cache")
    vocab = os.path.join(SEEDS, "vocab-tiktoken", "small.tiktoken")
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    for path, name in [(vocab, "small-tiktoken.bin"), (SMALL_TOKENIZER, "small-tokenizer-json.bin")]:
        subprocess.run([llama3, "count", "--vocab", path, os.path.join(ROOT, "README.md")], check=True, env=env, stdout=subprocess.DEVNULL)
        (written,) = [f for f in os.listdir(os.path.join(cache, "llama3"))]
        data = open(os.path.join(cache, "llama3", written), "rb").read()
        write(os.path.join(out, name), data[:-8])  # the target appends the trailing checksum itself
        shutil.rmtree(cache)


def json_seeds():
    out = folder("json")
    with open(os.path.join(ROOT, "Fixtures", "tokenizer", "chat.jsonl"), "rb") as f:
        for i, line in enumerate(f.read().splitlines()[:4]):
            write(os.path.join(out, f"chat-{i}.json"), line)
    write(os.path.join(out, "numbers.json"), b'[0, -0, 1e308, -1.5e-320, 123456789012345678901234567890, 0.1, 1E+2, -9223372036854775808, 18446744073709551615]')
    write(os.path.join(out, "strings.json"), '{"a\\u00e9\\ud83d\\ude42": "\\"\\\\\\/\\b\\f\\n\\r\\t", "": [], "n": null, "t": true, "f": false, "u": "\u6771"}'.encode())
    write(os.path.join(out, "nested.json"), b"[" * 40 + b"{}" + b"]" * 40)


def zstd_seeds(tmp):
    out = folder("zstd")
    text = open(os.path.join(ROOT, "README.md"), "rb").read()[:3000]
    plain = os.path.join(tmp, "text")
    write(plain, text)

    def zstd(*args):
        return subprocess.run(["zstd", "-q", "-c", *args, plain], check=True, stdout=subprocess.PIPE).stdout

    one = zstd("-19")
    write(os.path.join(out, "one-frame.zst"), one)
    write(os.path.join(out, "two-frames.zst"), zstd("-1") + zstd("-3", "--no-check"))
    skippable = struct.pack("<II", 0x184D2A50, 5) + b"meta!"
    write(os.path.join(out, "skippable-first.zst"), skippable + one)
    write(os.path.join(out, "skippable-last.zst"), one + struct.pack("<II", 0x184D2A5E, 0))
    write(os.path.join(out, "plain.txt"), text[:500])
    write(os.path.join(out, "empty-frame.zst"), subprocess.run(["zstd", "-q", "-c"], input=b"", check=True, stdout=subprocess.PIPE).stdout)


def member(name, method):
    info = zipfile.ZipInfo(name, date_time=(2024, 7, 23, 0, 0, 0))  # fixed: the seeds are reproducible
    info.compress_type = method
    return info


def zip_seeds():
    out = folder("zip")
    text = open(os.path.join(ROOT, "README.md"), "rb").read()[:2000]
    for name, method in [("deflated.whl", zipfile.ZIP_DEFLATED), ("stored.whl", zipfile.ZIP_STORED)]:
        with zipfile.ZipFile(os.path.join(out, name), "w", compression=method) as archive:
            archive.writestr(member("llama_models/llama3/api/tokenizer.model", method), text)
            archive.writestr(member("llama_models-0.3.0.dist-info/METADATA", method), b"Name: llama_models\n")
    with zipfile.ZipFile(os.path.join(out, "comment.whl"), "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member("a", zipfile.ZIP_DEFLATED), b"")
        archive.comment = b"a comment after the central directory"


def tokenizer_seeds():
    out = folder("tokenizer")
    with open(os.path.join(ROOT, "Fixtures", "tokenizer", "encoding.jsonl")) as f:
        cases = [json.loads(line) for line in f]
    seen = set()
    for case in cases:
        kind = case["case"].split(":")[0] + ":" + case["case"].split(":")[1] if ":" in case["case"] else case["case"]
        if kind in seen or len(seen) >= 100:
            continue
        seen.add(kind)
        data = case["text"].encode("utf-8", "surrogatepass")[:2048]
        write(os.path.join(out, f"{len(seen):03d}"), data)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        gguf_seeds(tmp)
        safetensors_seeds()
        safetensors_index_seeds()
        pth_seeds()
        vocabulary_seeds()
        vocabulary_cache_seed(tmp)
        json_seeds()
        zstd_seeds(tmp)
        tokenizer_seeds()
        zip_seeds()
    total = sum(len(files) for _, _, files in os.walk(SEEDS))
    print(f"wrote {total} seeds under {SEEDS}")


if __name__ == "__main__":
    sys.exit(main())
