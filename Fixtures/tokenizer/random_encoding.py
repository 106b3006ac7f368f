#!/usr/bin/env python3
"""Prints random documents and tiktoken 0.14's ids for them (official vocabulary,
encode_ordinary) as JSON lines ({"text", "ids"}), for a test that runs it at test time.

  .venv/bin/python Fixtures/tokenizer/random_encoding.py COUNT SEED [PATH/TO/tokenizer.model]

Characters: the tricky set of make_goldens.py and code points drawn from the first three planes
(assigned or not, any version of Unicode): tiktoken is the reference here, so characters whose
class changed after Unicode 16 are welcome.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from make_goldens import FUZZ_POOL, load_encoding  # noqa: E402


def main():
    count, seed = int(sys.argv[1]), int(sys.argv[2])
    path = sys.argv[3] if len(sys.argv) > 3 else os.path.expanduser("~/.local/share/llama3/tokenizer.model")
    enc = load_encoding(path)
    rng = random.Random(seed)
    for _ in range(count):
        wide = []
        while len(wide) < 100:
            code = rng.randrange(0x20, 0x30000)
            if not 0xD800 <= code <= 0xDFFF:
                wide.append(chr(code))
        pool = FUZZ_POOL + wide
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 2000)))
        print(json.dumps({"text": text, "ids": enc.encode_ordinary(text)}))


if __name__ == "__main__":
    main()
