"""Checks the tokenizer files `llama3 convert MODEL.gguf FOLDER` writes, with transformers, tiktoken
and gguf-py as the references (run by Tests/CLITests/HuggingFaceFolderTests.swift):

  tiktoken FOLDER TOKENIZER_MODEL
      FOLDER/tokenizer.json is what transformers' TikTokenConverter writes for TOKENIZER_MODEL (same
      vocab, merges, pre-tokenizer, post-processor, decoder), and AutoTokenizer loaded from FOLDER
      gives tiktoken's ids for the texts below (tiktoken built from TOKENIZER_MODEL with Llama 3's
      pattern) and decodes them back to the text.
  goldens FOLDER GOLDENS_JSONL GGUF
      AutoTokenizer from FOLDER gives the tiktoken ids of GOLDENS_JSONL ({"text", "ids"} lines, as
      Fixtures/tokenizer/make_tokenizer_json.py writes them; special-token names in the texts are
      text there, so split_special_tokens=True here); tokenizer_config.json holds the GGUF's chat template (read with gguf-py) and
      apply_chat_template works with it; generation_config.json has the GGUF's bos and eos ids.

Prints OK or the first difference (exit 1). By hand:
    .venv/bin/python Fixtures/hf-folder/check_tokenizer_files.py tiktoken OUT_FOLDER ~/.local/share/llama3/tokenizer.model
"""
import json
import os
import sys

TEXTS = ["Hello, world!", "  leading spaces and\ttabs\n\nnew lines", "DON'T it'S 12345 numbers",
         "Cửa Việt 日本語のテキスト 🙂", "code: def f(x):\n    return x ** 2\n", "a" * 300 + " " + "!" * 50]
PATTERN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""


def fail(message):
    print(message)
    sys.exit(1)


def check_tiktoken(folder, model_path):
    import tiktoken
    from tiktoken.load import load_tiktoken_bpe
    from transformers import AutoTokenizer
    from transformers.convert_slow_tokenizer import TikTokenConverter

    mine = json.load(open(os.path.join(folder, "tokenizer.json"), encoding="utf-8"))
    specials = [token["content"] for token in mine["added_tokens"]]
    reference = json.loads(TikTokenConverter(vocab_file=model_path, extra_special_tokens=specials).converted().to_str())
    for key in ["pre_tokenizer", "post_processor", "decoder", "normalizer", "added_tokens"]:
        if mine[key] != reference[key]:
            fail(f"tokenizer.json {key} differs from TikTokenConverter's: {mine[key]} != {reference[key]}")
    for key in reference["model"]:
        if mine["model"].get(key) != reference["model"][key]:
            fail(f"tokenizer.json model.{key} differs from TikTokenConverter's")

    ranks = load_tiktoken_bpe(model_path)
    encoding = tiktoken.Encoding(name="llama3", pat_str=PATTERN, mergeable_ranks=ranks,
                                 special_tokens={"<|begin_of_text|>": len(ranks), "<|eot_id|>": len(ranks) + 9})
    tokenizer = AutoTokenizer.from_pretrained(folder)
    for text in TEXTS + ["<|begin_of_text|>Hi<|eot_id|>"]:
        want = encoding.encode(text, allowed_special="all")
        got = tokenizer.encode(text)
        if got != want:
            fail(f"AutoTokenizer ids {got[:20]} differ from tiktoken's {want[:20]} for {text[:40]!r}")
        if tokenizer.decode(got) != text:
            fail(f"AutoTokenizer decodes {text[:40]!r} as {tokenizer.decode(got)[:40]!r}")


def check_goldens(folder, goldens, gguf_path):
    import gguf
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    for line in open(goldens, encoding="utf-8"):
        case = json.loads(line)
        got = tokenizer.encode(case["text"], split_special_tokens=True)
        if got != case["ids"]:
            fail(f"AutoTokenizer ids {got[:20]} differ from tiktoken's {case['ids'][:20]} for {case['text'][:40]!r}")
    reader = gguf.GGUFReader(gguf_path)

    def field(key):
        f = reader.fields.get(key)
        return None if f is None else f.contents()

    config = json.load(open(os.path.join(folder, "tokenizer_config.json")))
    if config.get("chat_template") != field("tokenizer.chat_template"):
        fail("tokenizer_config.json chat_template differs from the GGUF's tokenizer.chat_template")
    generation = json.load(open(os.path.join(folder, "generation_config.json")))
    for key in ["bos_token_id", "eos_token_id"]:
        if generation.get(key) != field("tokenizer.ggml." + key):
            fail(f"generation_config.json {key} {generation.get(key)} != the GGUF's {field('tokenizer.ggml.' + key)}")
    messages = [{"role": "user", "content": " Hi "}]
    # The template the GGUF carries, rendered by transformers: what the folder's tokenizer must give.
    expected = "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
    if config.get("chat_template") and tokenizer.apply_chat_template(messages, tokenize=False) != expected:
        fail(f"apply_chat_template gives {tokenizer.apply_chat_template(messages, tokenize=False)!r}, expected {expected!r}")


def main():
    mode = sys.argv[1]
    if mode == "tiktoken":
        check_tiktoken(sys.argv[2], sys.argv[3])
    elif mode == "goldens":
        check_goldens(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        fail(f"unknown mode {mode}")
    print("OK")


if __name__ == "__main__":
    main()
