#!/usr/bin/env python3
"""Writes a Hugging Face tokenizer.json (byte-level BPE) for a tiktoken vocabulary, laid out as
transformers' tiktoken converter lays it out: pieces spelled in GPT-2's byte-to-unicode alphabet,
one merge for every split of a piece into two lower-ranked pieces, sorted by the rank of the
piece made, and the 256 special tokens of llama-models 0.3.0 as special added tokens.

  .venv/bin/python Fixtures/tokenizer/make_tokenizer_json.py OUT.json [--ranks N] [--merges strings|pairs]
      [--vocab PATH] [--goldens OUT.jsonl]

With --ranks N only the first N ranks are kept (a valid BPE vocabulary on its own: every piece is
made from lower-ranked ones). With --goldens, also writes ids for sample texts from tiktoken 0.14
running on exactly those ranks. The committed small fixture was made with:
  .venv/bin/python Fixtures/tokenizer/make_tokenizer_json.py Fixtures/tokenizer/small-tokenizer.json \\
      --ranks 1000 --merges strings --goldens Fixtures/tokenizer/small-tokenizer-goldens.jsonl
"""
import argparse
import json
import os
import pathlib

import tiktoken
from tiktoken.load import load_tiktoken_bpe

PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
           r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
SAMPLES = ["Hello world! It's 2024.", "  indented\n\tcode = [1, 2, 3]\r\n", "naïve café Việt 中文 😀",
           "DON'T stop", "<|begin_of_text|> stays text", "aaaaaaaaaaaaaaaaaaaa!!!!!!!!"]


def byte_alphabet():
    keep = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    mapping, shifted = {}, 0
    for b in range(256):
        if b in keep:
            mapping[b] = chr(b)
        else:
            mapping[b] = chr(256 + shifted)
            shifted += 1
    return mapping


def special_names():
    named = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
             "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>", "<|step_id|>",
             "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>",
             "<|python_tag|>", "<|image|>"]
    return named + [f"<|reserved_special_token_{2 + i}|>" for i in range(256 - len(named))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--ranks", type=int, default=0)
    parser.add_argument("--merges", choices=["strings", "pairs"], default="pairs")
    parser.add_argument("--vocab", default=os.path.expanduser("~/.local/share/llama3/tokenizer.model"))
    parser.add_argument("--goldens")
    options = parser.parse_args()
    ranks = load_tiktoken_bpe(options.vocab)
    if options.ranks:
        ranks = {piece: rank for piece, rank in ranks.items() if rank < options.ranks}
    spell = byte_alphabet()

    def spelled(piece):
        return "".join(spell[b] for b in piece)

    merges = []
    for piece, rank in ranks.items():
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in ranks and right in ranks and ranks[left] < rank and ranks[right] < rank:
                merges.append((rank, ranks[left], ranks[right], spelled(left), spelled(right)))
    merges.sort()
    added = [{"id": len(ranks) + i, "content": name, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, name in enumerate(special_names())]
    document = {
        "version": "1.0",
        "added_tokens": added,
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "fuse_unk": False, "byte_fallback": False,
            "ignore_merges": True,
            "vocab": {spelled(piece): rank for piece, rank in sorted(ranks.items(), key=lambda item: item[1])},
            "merges": [f"{m[3]} {m[4]}" if options.merges == "strings" else [m[3], m[4]] for m in merges],
        },
    }
    pathlib.Path(options.out).write_text(json.dumps(document, ensure_ascii=False))
    if options.goldens:
        specials = {name: len(ranks) + i for i, name in enumerate(special_names())}
        enc = tiktoken.Encoding("small", pat_str=PATTERN, mergeable_ranks=ranks, special_tokens=specials)
        lines = [json.dumps({"text": text, "ids": enc.encode_ordinary(text)}) for text in SAMPLES]
        pathlib.Path(options.goldens).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
