"""A small trained Llama converted by llama.cpp's own converter (convert_hf_to_gguf.py), and the
logits transformers computes from gguf-py's dequantization of those GGUFs, for the reference
model's test on files it did not write (Tests/ReferenceModelTests/LlamaCppConvertedTests.swift)
and for the quantization-cost table (Tests/Benchmarks/quantization_cost.py).

    .venv/bin/python Fixtures/reference-model/make_llamacpp_converted.py LLAMA_CPP_DIR \\
        [Fixtures/reference-model/llamacpp-converted] [--reuse-checkpoint]

LLAMA_CPP_DIR is llama.cpp's source as llama-cpp-python 0.3.36's sdist ships it:
    pip download llama-cpp-python==0.3.36 --no-deps --no-binary :all: -d SDIST
    tar xzf SDIST/llama_cpp_python-0.3.36.tar.gz   # then pass .../vendor/llama.cpp
(pip may fail afterwards while preparing the package's metadata; the tarball is what is needed:
pip leaves it in its pip-unpack-* temporary folder.) Its converter and its own gguf-py are
imported from there, so the GGUFs are what that llama.cpp release writes.

No PyPI package was found that ships a small real Llama (weights trained on text), so the model is
trained here: the Llama architecture at vocabulary 1256 (Fixtures/tokenizer/small-tokenizer.json:
the first 1000 ranks of Llama 3's vocabulary and its 256 special tokens), hidden 64, 2 layers,
4 heads of 64 (head_dim is not hidden / heads, so llama.cpp needs attention.key_length), 2 KV
heads, FFN 192, separate output, theta 10000, Llama 3.1 rope scaling (so the converter writes
rope_freqs), trained for TRAINING_STEPS steps of next-token prediction on the Debian licence texts
of /usr/share/common-licenses (TRAINING_TEXTS; MPL-1.1 is held out for evaluation). Tokens are
tiktoken's, on those ranks with Llama 3's pattern. Seeded; torch's CPU kernels may still make a
rerun differ in the last bits, which is why the outputs are committed rather than regenerated.

Writes into the output folder:
  hf/                the checkpoint (config.json, generation_config.json, model.safetensors,
                     tokenizer.json), fp32, and ids.json: <|begin_of_text|> and the first 63
                     ids of the held-out text
  model-f32.gguf     convert_hf_to_gguf.py hf --outtype f32
  model-q8_0.gguf    convert_hf_to_gguf.py hf --outtype q8_0
  eval-ids.json      <|begin_of_text|> and the held-out text's ids (for perplexity)
  logits-f32.npy, logits-q8_0.npy
                     float32 [64, 1256]: LlamaForCausalLM (fp32, eager) on hf/ids.json with the
                     weights gguf-py dequantizes from that GGUF (gguf_logits.py: q/k rows back
                     in rotate-half order)
The converter recognises a BPE pre-tokenizer by the hash of the ids it gets for a test text; a
1256-id cut of Llama 3's vocabulary has no hash of its own, so it is told the answer the full
vocabulary gets, "llama-bpe" (the pattern is the same). Its Llama class tries a SentencePiece
vocabulary first and moves on to tokenizer.json when tokenizer.model is missing, but imports the
sentencepiece package before it looks; that package is not in the fixture venv, so the missing
file is reported before the import.

--reuse-checkpoint skips the training and converts the OUT/hf already there.
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import tiktoken
import torch
from transformers import LlamaConfig, LlamaForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER = os.path.join(HERE, "..", "tokenizer", "small-tokenizer.json")
LICENSES = "/usr/share/common-licenses"
TRAINING_TEXTS = ["GPL-3", "GPL-2", "GPL-1", "Apache-2.0", "MPL-2.0", "LGPL-2.1", "LGPL-2", "GFDL-1.3",
                  "GFDL-1.2", "Artistic", "CC0-1.0", "LGPL-3", "BSD"]
HELD_OUT = "MPL-1.1"
BOS = 1000  # <|begin_of_text|>
PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
           r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
TRAINING_STEPS = 400
CONTEXT = 64
BATCH = 16
TEST_POSITIONS = 64


def byte_alphabet():
    """GPT-2's byte-to-unicode map, inverted: the piece spelling of tokenizer.json back to bytes."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    characters, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            characters[chr(byte)] = byte
        else:
            characters[chr(256 + extra)] = byte
            extra += 1
    return characters


def encoding():
    with open(TOKENIZER) as f:
        vocab = json.load(f)["model"]["vocab"]
    alphabet = byte_alphabet()
    ranks = {bytes(alphabet[c] for c in piece): rank for piece, rank in vocab.items()}
    return tiktoken.Encoding("small-llama3", pat_str=PATTERN, mergeable_ranks=ranks, special_tokens={})


def read(name):
    with open(os.path.join(LICENSES, name), encoding="utf-8") as f:
        return f.read()


def config():
    return LlamaConfig(
        vocab_size=1256, hidden_size=64, intermediate_size=192, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, head_dim=64, max_position_embeddings=2048, rms_norm_eps=1e-5, rope_theta=10000.0,
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                      "original_max_position_embeddings": 256, "rope_theta": 10000.0},
        tie_word_embeddings=False, bos_token_id=BOS, eos_token_id=1001, attn_implementation="eager")


def train(training_ids):
    torch.set_num_threads(1)  # one summation order on any machine, as far as torch allows
    torch.manual_seed(20261201)
    generator = torch.Generator().manual_seed(20261201)
    model = LlamaForCausalLM(config()).to(torch.float32)
    data = torch.tensor(training_ids)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, TRAINING_STEPS)
    model.train()
    for step in range(TRAINING_STEPS):
        starts = torch.randint(0, len(data) - CONTEXT - 1, (BATCH,), generator=generator)
        batch = torch.stack([data[s:s + CONTEXT] for s in starts.tolist()])
        batch[:, 0] = BOS
        loss = model(batch, labels=batch).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % 100 == 0 or step == TRAINING_STEPS - 1:
            print(f"step {step}: loss {loss.item():.3f}", flush=True)
    return model.eval()


def convert(llama_cpp, folder, outfile, outtype):
    """llama.cpp's converter in a child process, told the pre-tokenizer (see the docstring)."""
    program = (
        "import sys, runpy\n"
        f"sys.path[:0] = [{llama_cpp!r}, {os.path.join(llama_cpp, 'gguf-py')!r}]\n"
        "import conversion.base\n"
        "model = conversion.base.TextModel\n"
        "model.get_vocab_base_pre = lambda self, tokenizer: 'llama-bpe'\n"
        "sentencepiece = model._set_vocab_sentencepiece\n"
        "def no_sentencepiece_model(self):\n"
        "    if not (self.dir_model / 'tokenizer.model').is_file(): raise FileNotFoundError('tokenizer.model')\n"
        "    sentencepiece(self)\n"
        "model._set_vocab_sentencepiece = no_sentencepiece_model\n"
        f"sys.argv = ['convert_hf_to_gguf.py', {folder!r}, '--outfile', {outfile!r}, '--outtype', {outtype!r}]\n"
        f"runpy.run_path({os.path.join(llama_cpp, 'convert_hf_to_gguf.py')!r}, run_name='__main__')\n")
    subprocess.run([sys.executable, "-c", program], check=True, cwd=llama_cpp)


def main():
    reuse = "--reuse-checkpoint" in sys.argv
    positional = [argument for argument in sys.argv[1:] if argument != "--reuse-checkpoint"]
    llama_cpp = os.path.abspath(positional[0])
    out = os.path.abspath(positional[1] if len(positional) > 1 else os.path.join(HERE, "llamacpp-converted"))
    tokens = encoding()
    training_ids = []
    for name in TRAINING_TEXTS:
        training_ids += [BOS] + tokens.encode_ordinary(read(name))
    held_out = [BOS] + tokens.encode_ordinary(read(HELD_OUT))
    print(f"{len(training_ids)} training ids, {len(held_out)} held-out ids", flush=True)
    folder = os.path.join(out, "hf")
    if reuse:
        model = LlamaForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager").eval()
    else:
        model = train(training_ids)
        shutil.rmtree(folder, ignore_errors=True)
        model.save_pretrained(folder, safe_serialization=True)
        shutil.copy(TOKENIZER, os.path.join(folder, "tokenizer.json"))
    ids = held_out[:TEST_POSITIONS]
    with open(os.path.join(folder, "ids.json"), "w") as f:
        json.dump(ids, f)
    with open(os.path.join(out, "eval-ids.json"), "w") as f:
        json.dump(held_out, f)
    with torch.no_grad():
        folder_logits = model(torch.tensor([ids])).logits[0].numpy()

    for outtype in ["f32", "q8_0"]:
        gguf = os.path.join(out, f"model-{outtype}.gguf")
        convert(llama_cpp, folder, gguf, outtype)
        logits = os.path.join(out, f"logits-{outtype}.npy")
        # gguf-py as llama.cpp ships it beside the converter, not the fixture venv's copy.
        environment = dict(os.environ, PYTHONPATH=os.path.join(llama_cpp, "gguf-py"))
        subprocess.run([sys.executable, os.path.join(HERE, "gguf_logits.py"), folder, gguf, logits],
                       check=True, env=environment)
        moved = float(np.abs(np.load(logits) - folder_logits).max())
        print(f"{outtype}: {os.path.getsize(gguf)} bytes; logits differ from the checkpoint's by at most {moved:.2e}")


if __name__ == "__main__":
    main()
