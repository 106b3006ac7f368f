"""Reads a split GGUF with gguf-py's GGUFReader, part by part, and checks it against the same
model whole: every part has split.no (its 0-based place), split.count and split.tensors.count as
gguf-split writes them (UINT16, UINT16, INT32); the model's keys are in part 1 only; the parts'
tensors, in order, are the whole file's (names, types, shapes and bytes); each part holds at most
--max-tensors tensors and --max-bytes bytes of tensor data (unless it holds a single tensor).
Prints one JSON line ({"parts": N, "tensors_per_part": [...]}) or exits 1 with the first difference.

Run by Tests/CLITests/SplitGGUFTests.swift; by hand:
    .venv/bin/python Fixtures/split-gguf/check_split.py WHOLE.gguf PART1.gguf PART2.gguf ... [--max-tensors N] [--max-bytes B]
"""
import argparse
import json
import sys

import numpy as np

import gguf

SPLIT_KEYS = {"split.no": gguf.GGUFValueType.UINT16, "split.count": gguf.GGUFValueType.UINT16,
              "split.tensors.count": gguf.GGUFValueType.INT32}


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def scalar(reader, key):
    field = reader.fields[key]
    return field.types[0], int(field.parts[field.data[0]][0])


def model_keys(reader):
    return [key for key in reader.fields if not key.startswith("GGUF.") and not key.startswith("split.")
            and key != "checksum.xxh3_64"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("whole")
    parser.add_argument("parts", nargs="+")
    parser.add_argument("--max-tensors", type=int)
    parser.add_argument("--max-bytes", type=int)
    args = parser.parse_args()
    whole = gguf.GGUFReader(args.whole)
    readers = [gguf.GGUFReader(path) for path in args.parts]
    total = sum(len(r.tensors) for r in readers)
    for index, (path, reader) in enumerate(zip(args.parts, readers)):
        expected = {"split.no": index, "split.count": len(readers), "split.tensors.count": total}
        for key, value_type in SPLIT_KEYS.items():
            if key not in reader.fields:
                fail(f"{path}: no {key}")
            found_type, found = scalar(reader, key)
            if found_type != value_type or found != expected[key]:
                fail(f"{path}: {key} is {found} ({found_type.name}), expected {expected[key]} ({value_type.name})")
        keys = model_keys(reader)
        if index == 0 and keys != model_keys(whole):
            fail(f"{path}: model keys {keys}, expected {model_keys(whole)}")
        if index > 0 and [k for k in keys if k != "general.alignment"]:
            fail(f"{path}: model keys {keys} in a part after the first")
        if args.max_tensors and len(reader.tensors) > args.max_tensors:
            fail(f"{path}: {len(reader.tensors)} tensors, more than {args.max_tensors}")
        data_bytes = sum(int(t.n_bytes) for t in reader.tensors)
        if args.max_bytes and len(reader.tensors) > 1 and data_bytes > args.max_bytes:
            fail(f"{path}: {data_bytes} bytes of tensors, more than {args.max_bytes}")
    joined = [t for r in readers for t in r.tensors]
    if [t.name for t in joined] != [t.name for t in whole.tensors]:
        fail(f"tensor names {[t.name for t in joined]}, expected {[t.name for t in whole.tensors]}")
    for mine, theirs in zip(joined, whole.tensors):
        if mine.tensor_type != theirs.tensor_type or list(mine.shape) != list(theirs.shape):
            fail(f"{mine.name}: {mine.tensor_type.name} {list(mine.shape)}, expected {theirs.tensor_type.name} {list(theirs.shape)}")
        if not np.array_equal(np.asarray(mine.data).view(np.uint8), np.asarray(theirs.data).view(np.uint8)):
            fail(f"{mine.name}: bytes differ")
    print(json.dumps({"parts": len(readers), "tensors_per_part": [len(r.tensors) for r in readers]}))


if __name__ == "__main__":
    main()
