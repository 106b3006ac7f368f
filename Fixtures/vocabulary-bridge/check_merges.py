"""Checks merges and tokens recovered from a tiktoken tokenizer.model against transformers'
TikTokenConverter (the conversion that produced Meta's Llama 3 tokenizer.json, which llama.cpp's
convert_hf_to_gguf copies into GGUF files).

Run by Tests/LlamaLayoutTests/MergeRecoveryTests.swift; by hand:
    .venv/bin/python Fixtures/vocabulary-bridge/check_merges.py TOKENIZER_MODEL TOKENS_TXT MERGES_TXT
where TOKENS_TXT has one token string per line (rank order) and MERGES_TXT one "left right" merge
per line, both UTF-8. Prints "ok: N tokens, M merges" and exits 0, or prints the first difference
and exits 1.
"""
import sys

from transformers.convert_slow_tokenizer import TikTokenConverter


def read_lines(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        text = f.read()
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def first_difference(name, expected, actual):
    for index, (want, got) in enumerate(zip(expected, actual)):
        if want != got:
            return f"{name}[{index}]: expected {want!r}, found {got!r}"
    if len(expected) != len(actual):
        return f"{name}: expected {len(expected)} entries, found {len(actual)}"
    return None


def main():
    model, tokens_path, merges_path = sys.argv[1:4]
    vocab, merges = TikTokenConverter(vocab_file=model).extract_vocab_merges_from_model(model)
    expected_tokens = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]
    expected_merges = [f"{left} {right}" for left, right in merges]
    problems = [
        first_difference("tokens", expected_tokens, read_lines(tokens_path)),
        first_difference("merges", expected_merges, read_lines(merges_path)),
    ]
    problems = [p for p in problems if p]
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"ok: {len(expected_tokens)} tokens, {len(expected_merges)} merges")


main()
