#!/usr/bin/env python3
"""Prints random strings and their Llama 3 pre-split pieces as JSON lines ({"text", "pieces"}),
computed by the `regex` module (pinned in requirements.txt). The tests run it at test time with
a fixed seed, so a failure reproduces.

  .venv/bin/python Fixtures/tokenizer/random_presplit.py COUNT SEED

Characters come from the tricky ASCII and white-space set of make_goldens.py plus code points
drawn from every plane, keeping only those whose letter / number / white-space class is the same
in Unicode 16 (unicodedata2, what tiktoken uses) and in the `regex` module (a newer Unicode), so
the module's pieces are tiktoken's.
"""
import json
import random
import sys

import regex

sys.path.insert(0, __import__("os").path.dirname(__file__))
from make_goldens import FUZZ_POOL, PATTERN, regex_module_class, u16_class  # noqa: E402


def agrees(ch):
    return u16_class(ch) == regex_module_class(ch)


def main():
    count, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    tricky = [c for c in FUZZ_POOL if all(agrees(ch) for ch in c)]
    wide = []
    while len(wide) < 400:
        plane = rng.choice([0, 0, 0, 1, 2])
        code = rng.randrange(plane * 0x10000, plane * 0x10000 + 0x10000)
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        if agrees(ch):
            wide.append(ch)
    compiled = regex.compile(PATTERN)
    for _ in range(count):
        text = "".join(rng.choice(tricky if rng.random() < 0.7 else wide) for _ in range(rng.randint(1, 30)))
        print(json.dumps({"text": text, "pieces": compiled.findall(text)}))


if __name__ == "__main__":
    main()
