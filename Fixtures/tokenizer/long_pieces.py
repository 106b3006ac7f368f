#!/usr/bin/env python3
"""Prints long single pieces of the pre-split (runs of letters, spaces, newlines, punctuation,
symbols; digit runs too, which split into pieces of three) and tiktoken 0.14's ids for them with
the official vocabulary (encode_ordinary), as JSON lines {"case", "text", "ids"}, for a test that
runs it at test time (BytePairEncoderTests): the merges of long pieces must be tiktoken's.

  .venv/bin/python Fixtures/tokenizer/long_pieces.py [PATH/TO/tokenizer.model]

Sizes stay where tiktoken runs (its regex overflows its stack on a run of a million spaces) and
quickly (its merge loop is quadratic in the length of a piece). The output is deterministic.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from make_goldens import load_encoding  # noqa: E402

PUNCTUATION = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def cases():
    rng = random.Random(14)

    def drawn(pool, length):
        return "".join(rng.choice(pool) for _ in range(length))

    for length in [97, 1000, 10_000, 100_000]:
        yield f"letter-run:{length}", "a" * length
        yield f"space-run:{length}", " " * length
        yield f"punctuation-run:{length}", "!" * length
        yield f"digit-run:{length}", "7" * length
    yield "letter-run:cyrillic:40000", "ж" * 40_000
    yield "letter-run:cjk:30000", "中" * 30_000
    yield "letter-run:random:100000", drawn(LETTERS, 100_000)
    yield "letter-run:random-two:100000", drawn("ab", 100_000)
    yield "letter-run:capitalised:50000", " " + drawn(LETTERS + "ABCXYZ", 50_000)
    yield "space-run:before-word:50000", " " * 50_000 + "x"
    yield "space-run:tabs:50000", drawn(" \t", 50_000)
    yield "newline-run:50000", "\n" * 50_000
    yield "newline-run:crlf:50000", "\r\n" * 25_000
    yield "punctuation-run:random:100000", drawn(PUNCTUATION, 100_000)
    yield "punctuation-run:dots:100000", drawn(".-", 100_000)
    yield "punctuation-run:spaced:50000", " " + drawn(PUNCTUATION, 50_000) + "\n\n"
    yield "symbol-run:emoji:20000", "😀" * 20_000
    yield "symbol-run:mixed:30000", drawn(["€", "→", "★", "·", "—", "…", "😀", "!", "#"], 30_000)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
        os.environ.get("XDG_DATA_HOME", "~/.local/share") + "/llama3/tokenizer.model")
    enc = load_encoding(path)
    for case, text in cases():
        ids = enc.encode_ordinary(text)
        assert enc.decode_bytes(ids) == text.encode("utf-8"), case
        print(json.dumps({"case": case, "text": text, "ids": ids}))


if __name__ == "__main__":
    main()
