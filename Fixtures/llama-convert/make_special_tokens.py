"""Hugging Face folders that differ only in how they name their special tokens, and the
`tokenizer.ggml.*` special-token keys llama.cpp's own converter writes for each of them.

Two modes:

    # At test time: write the folder of VARIANT (nothing of it is committed).
    .venv/bin/python Fixtures/llama-convert/make_special_tokens.py folder VARIANT TOKENIZER_MODEL OUT_FOLDER

    # Once, by hand: run llama.cpp's convert_hf_to_gguf.py on every variant's folder and commit
    # what it wrote as Fixtures/llama-convert/special-tokens-llamacpp.json.
    .venv/bin/python Fixtures/llama-convert/make_special_tokens.py expected LLAMA_CPP_FOLDER TOKENIZER_MODEL

TOKENIZER_MODEL is Llama 3's tokenizer.model (the default vocabulary, ~/.local/share/llama3/tokenizer.model).
LLAMA_CPP_FOLDER is the llama.cpp source tree shipped in llama-cpp-python 0.3.36's sdist
(`pip download llama-cpp-python==0.3.36 --no-deps --no-binary :all:`, then its vendor/llama.cpp);
its convert_hf_to_gguf.py runs with its own gguf-py, in this venv (it needs torch and transformers).

Each folder is a tiny random Llama (hidden 64, 2 layers, BF16, tied embeddings) with the full
Llama 3 vocabulary: tokenizer.json is what transformers' TikTokenConverter writes for
tokenizer.model and Llama 3's 256 special-token names, with the post-processor of Meta's
tokenizer.json (a <|begin_of_text|> before each sequence). The variants follow Meta's repositories:
  llama3.1-instruct   tokenizer_config eos <|eot_id|>; config.json and generation_config.json
                      eos [128001, 128008, 128009] (Llama-3.1-8B-Instruct)
  llama3-instruct     tokenizer_config eos <|eot_id|>; config.json eos 128009, generation_config.json
                      eos [128001, 128009] (Meta-Llama-3-8B-Instruct)
  llama3.1-base       tokenizer_config eos <|end_of_text|>; config.json and generation_config.json eos 128001
  no-tokenizer-config no tokenizer_config.json; config.json eos 128001, generation_config.json eos [128001, 128009]
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(HERE, "special-tokens-llamacpp.json")

# Llama 3's special tokens as llama-models 0.3.0 names them: ids 128000 onwards.
NAMED = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
         "<|finetune_right_pad_id|>", "<|step_id|>", "<|start_header_id|>", "<|end_header_id|>",
         "<|eom_id|>", "<|eot_id|>", "<|python_tag|>", "<|image|>"]
SPECIALS = NAMED + [f"<|reserved_special_token_{n}|>" for n in range(2, 256 - len(NAMED) + 2)]
CHAT_TEMPLATE = ("{{ bos_token }}{% for message in messages %}<|start_header_id|>{{ message['role'] }}<|end_header_id|>\n\n"
                 "{{ message['content'] | trim }}<|eot_id|>{% endfor %}")

VARIANTS = {
    "llama3.1-instruct": {"tokenizer_config_eos": "<|eot_id|>", "config_eos": [128001, 128008, 128009],
                          "generation_eos": [128001, 128008, 128009]},
    "llama3-instruct": {"tokenizer_config_eos": "<|eot_id|>", "config_eos": 128009, "generation_eos": [128001, 128009]},
    "llama3.1-base": {"tokenizer_config_eos": "<|end_of_text|>", "config_eos": 128001, "generation_eos": 128001},
    "no-tokenizer-config": {"tokenizer_config_eos": None, "config_eos": 128001, "generation_eos": [128001, 128009]},
}


def tokenizer_json(tokenizer_model):
    from transformers.convert_slow_tokenizer import TikTokenConverter
    converted = json.loads(TikTokenConverter(vocab_file=tokenizer_model, extra_special_tokens=SPECIALS).converted().to_str())
    bos = SPECIALS[0]
    converted["post_processor"] = {
        "type": "Sequence",
        "processors": [
            {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
            {"type": "TemplateProcessing",
             "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
             "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                      {"SpecialToken": {"id": bos, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
             "special_tokens": {bos: {"id": bos, "ids": [128000], "tokens": [bos]}}},
        ],
    }
    return converted


def write_folder(variant, out, tokenizer_model):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    spec = VARIANTS[variant]
    torch.manual_seed(20261201)
    config = LlamaConfig(vocab_size=128256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                         rms_norm_eps=1e-5, rope_theta=500000.0, tie_word_embeddings=True,
                         bos_token_id=128000, eos_token_id=spec["config_eos"])
    LlamaForCausalLM(config).to(torch.bfloat16).save_pretrained(out, safe_serialization=True)
    with open(os.path.join(out, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": 128000, "eos_token_id": spec["generation_eos"]}, f)
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(tokenizer_model), f, ensure_ascii=False)
    if spec["tokenizer_config_eos"] is not None:
        with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
            json.dump({"bos_token": "<|begin_of_text|>", "eos_token": spec["tokenizer_config_eos"],
                       "chat_template": CHAT_TEMPLATE, "model_max_length": 131072,
                       "tokenizer_class": "PreTrainedTokenizerFast"}, f)


def special_keys(gguf_path):
    """The special-token ids and add_*_token flags in a GGUF, as gguf-py reads them."""
    from gguf import GGUFReader
    reader = GGUFReader(gguf_path)
    found = {}
    for name, field in reader.fields.items():
        if name.startswith("tokenizer.ggml.") and (name.endswith("_token_id") or name.startswith("tokenizer.ggml.add_")):
            found[name] = field.contents()
    return dict(sorted(found.items()))


def converter_environment(work):
    """The converter tries a SentencePiece vocabulary first: it imports sentencepiece, then finds
    no tokenizer.model in these folders and moves on to tokenizer.json. Where the package is not
    installed (this venv), a stand-in that only defines the imported name lets it get that far."""
    environment = dict(os.environ)
    try:
        import sentencepiece  # noqa: F401
    except ImportError:
        stand_in = os.path.join(work, "stand-in")
        os.makedirs(stand_in, exist_ok=True)
        with open(os.path.join(stand_in, "sentencepiece.py"), "w") as f:
            f.write("class SentencePieceProcessor:\n    pass\n")
        environment["PYTHONPATH"] = stand_in + os.pathsep + environment.get("PYTHONPATH", "")
    return environment


def write_expected(llama_cpp, tokenizer_model):
    expected = {}
    with tempfile.TemporaryDirectory() as work:
        for variant in VARIANTS:
            folder = os.path.join(work, variant)
            write_folder(variant, folder, tokenizer_model)
            out = os.path.join(work, variant + ".gguf")
            run = subprocess.run([sys.executable, os.path.join(llama_cpp, "convert_hf_to_gguf.py"), folder,
                                  "--outfile", out, "--outtype", "bf16"], capture_output=True, text=True,
                                 env=converter_environment(work))
            if run.returncode != 0:
                raise SystemExit(f"convert_hf_to_gguf.py failed on {variant}:\n{run.stderr[-3000:]}")
            expected[variant] = special_keys(out)
    expected = {"generated_by": "llama.cpp convert_hf_to_gguf.py from llama-cpp-python 0.3.36 (vendor/llama.cpp)",
                "variants": expected}
    with open(EXPECTED, "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(json.dumps(expected, indent=1))


def main():
    mode = sys.argv[1]
    if mode == "folder":
        write_folder(sys.argv[2], sys.argv[4], sys.argv[3])
    elif mode == "expected":
        write_expected(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
