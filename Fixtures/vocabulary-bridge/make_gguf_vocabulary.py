"""Writes a GGUF holding only a Llama 3 vocabulary, with gguf-py, the way llama.cpp's
convert_hf_to_gguf writes one from Meta's HF checkpoint: tokens and merges from transformers'
TikTokenConverter (which made Meta's tokenizer.json), token types 1 (normal) / 3 (control),
special-token names of the first Llama 3 release, bos 128000, eos 128009 (an instruct model's).

Used by Tests/CLITests/VocabularyFromGGUFTests.swift at test time; by hand:
    .venv/bin/python Fixtures/vocabulary-bridge/make_gguf_vocabulary.py OUT.gguf TOKENIZER_MODEL
"""
import sys

import gguf
from transformers.convert_slow_tokenizer import TikTokenConverter


def special_names():
    # Llama 3 (April 2024) names, as in Meta-Llama-3-8B's tokenizer.json.
    named = {0: "<|begin_of_text|>", 1: "<|end_of_text|>", 6: "<|start_header_id|>",
             7: "<|end_header_id|>", 9: "<|eot_id|>"}
    names, reserved = [], 0
    for i in range(256):
        if i in named:
            names.append(named[i])
        else:
            names.append(f"<|reserved_special_token_{reserved}|>")
            reserved += 1
    return names


def main():
    out, model = sys.argv[1], sys.argv[2]
    vocab, merges = TikTokenConverter(vocab_file=model).extract_vocab_merges_from_model(model)
    tokens = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]
    specials = special_names()
    writer = gguf.GGUFWriter(out, "llama")
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("llama-bpe")
    writer.add_token_list(tokens + specials)
    writer.add_token_types([1] * len(tokens) + [3] * len(specials))
    writer.add_token_merges([f"{left} {right}" for left, right in merges])
    writer.add_bos_token_id(128000)
    writer.add_eos_token_id(128009)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(out)


main()
