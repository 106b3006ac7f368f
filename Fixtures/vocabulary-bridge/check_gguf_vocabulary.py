"""Checks a vocabulary this project wrote into a GGUF against independent tools: gguf-py reads the
tokenizer.ggml.* keys; transformers' TikTokenConverter says what the tokens and merges of the
tiktoken tokenizer.model must be (what llama.cpp's convert_hf_to_gguf copies from Meta's
tokenizer.json); and Hugging Face `tokenizers`, running BPE on the GGUF's own tokens and merges,
must give tiktoken's ids on sample texts.

Run by Tests/LlamaLayoutTests/GGUFVocabularyTests.swift; by hand:
    .venv/bin/python Fixtures/vocabulary-bridge/check_gguf_vocabulary.py FILE.gguf TOKENIZER_MODEL BOS EOS
Prints "ok: ..." and exits 0, or prints every difference found and exits 1.
"""
import sys

import gguf
import tiktoken
from tiktoken.load import load_tiktoken_bpe
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
from transformers.convert_slow_tokenizer import TikTokenConverter

PATTERN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
SAMPLES = [
    "Hello, world! It's a test of Llama 3's tokenizer.",
    "  leading spaces, trailing spaces   \n\n\nnew lines\r\n and tabs\t\t.",
    "Numbers 1234567 and 3.14159, dates 2024-07-23.",
    "Ünïcödé: Cửa Việt, 東京都, Привет мир, مرحبا, 🦙🦙 emoji 👩‍👩‍👧",
    "def f(x):\n    return x ** 2  # code\n",
    "DON'T SHOUT, it'S fine; we'll see what they've done.",
]


def field(reader, key):
    found = reader.fields.get(key)
    return None if found is None else found.contents()


def main():
    path, model_path, bos, eos = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    reader = gguf.GGUFReader(path)
    problems = []

    def expect(what, expected, actual):
        if expected != actual:
            problems.append(f"{what}: expected {expected!r}, found {actual!r}")

    expect("tokenizer.ggml.model", "gpt2", field(reader, "tokenizer.ggml.model"))
    expect("tokenizer.ggml.pre", "llama-bpe", field(reader, "tokenizer.ggml.pre"))
    expect("tokenizer.ggml.bos_token_id", bos, field(reader, "tokenizer.ggml.bos_token_id"))
    expect("tokenizer.ggml.eos_token_id", eos, field(reader, "tokenizer.ggml.eos_token_id"))
    tokens = field(reader, "tokenizer.ggml.tokens")
    types = field(reader, "tokenizer.ggml.token_type")
    merges = field(reader, "tokenizer.ggml.merges")

    vocab, expected_merges = TikTokenConverter(vocab_file=model_path).extract_vocab_merges_from_model(model_path)
    ranked = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]
    expect("token count", len(ranked) + 256, len(tokens))
    expect("ranked tokens", ranked, tokens[:len(ranked)])
    expect("token types", [1] * len(ranked) + [3] * 256, list(types))
    expect("merges", [f"{l} {r}" for l, r in expected_merges], list(merges))
    if not all(t.startswith("<|") and t.endswith("|>") for t in tokens[len(ranked):]):
        problems.append("special tokens: expected <|...|> names for ids 128000 and up")

    # BPE over the GGUF's own tokens and merges (ids = positions), pre-split as Llama 3 does.
    bpe = models.BPE({t: i for i, t in enumerate(tokens[:len(ranked)])},
                     [tuple(m.split(" ")) for m in merges], ignore_merges=True)
    hf = Tokenizer(bpe)
    hf.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    hf.decoder = decoders.ByteLevel()
    reference = tiktoken.Encoding("llama3", pat_str=PATTERN, mergeable_ranks=load_tiktoken_bpe(model_path),
                                  special_tokens={})
    for text in SAMPLES:
        expect(f"ids of {text!r}", reference.encode_ordinary(text), hf.encode(text, add_special_tokens=False).ids)

    if problems:
        print("\n".join(p[:500] for p in problems))
        sys.exit(1)
    print(f"ok: {len(tokens)} tokens, {len(merges)} merges, {len(SAMPLES)} samples tokenized alike")


main()
