#!/usr/bin/env python3
"""Goldens for `llama3 chat --template llama3.1`: chat-llama3.1.jsonl, one case a line,
{"messages", "date" (absent: the template's default), "ids"}.

The template is the Llama 3.1 Instruct chat template (the `chat_template` of
meta-llama/Llama-3.1-8B-Instruct's tokenizer_config.json), read from the PyPI sdist
llama-cpp-python==0.3.36, which carries llama.cpp's copy of it at
  llama_cpp_python-0.3.36/vendor/llama.cpp/models/templates/meta-llama-Llama-3.1-8B-Instruct.jinja
(sha256 of that member pinned below; the template is not committed here). Each dialog is rendered
twice without tools and with add_generation_prompt: by transformers' render_jinja_template (what
apply_chat_template does) and by a plain jinja2 Environment; the two must agree except for
tool/ipython turns, whose string content the template passes through `tojson`, which plain jinja2
HTML-escapes and transformers does not (json.dumps with ensure_ascii=False): the goldens follow
transformers there. The rendered text is encoded by tiktoken 0.14.0 with the official Llama 3
tokenizer.model: the template's own special tokens are special, message content is ordinary text
(as Meta's encoder treats it: special-token text in content is masked while rendering), so each
stretch of text between two of the template's special tokens is encoded with encode_ordinary; where the content spells no special token, the ids are checked to equal
encode(text, allowed_special="all").

Rerun from the repository root (after `bash vocab/install.sh` and `bash Fixtures/make-venv.sh`):
  python3 -m pip download --no-deps --no-binary :all: --dest /tmp/sdist llama-cpp-python==0.3.36
  .venv/bin/python Fixtures/tokenizer/make_llama31_chat_goldens.py /tmp/sdist/llama_cpp_python-0.3.36.tar.gz [tokenizer.model]
The output is deterministic.
"""
import hashlib
import json
import os
import pathlib
import re
import sys
import tarfile

import jinja2
import tiktoken
from tiktoken.load import load_tiktoken_bpe
from transformers.utils.chat_template_utils import render_jinja_template

HERE = pathlib.Path(__file__).resolve().parent
MEMBER = "llama_cpp_python-0.3.36/vendor/llama.cpp/models/templates/meta-llama-Llama-3.1-8B-Instruct.jinja"
MEMBER_SHA256 = "e10ca381b1ccc5cf9db52e371f3b6651576caee0a630b452e2816b2d404d4b65"
BOS = "<|begin_of_text|>"
PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
           r"|\s*[\r\n]+|\s+(?!\S)|\s+")
# Names of llama-models 0.3.0 for the ids the template uses.
SPECIALS = {"<|begin_of_text|>": 128000, "<|start_header_id|>": 128006, "<|end_header_id|>": 128007,
            "<|eot_id|>": 128009}


def read_template(sdist):
    with tarfile.open(sdist) as archive:
        data = archive.extractfile(MEMBER).read()
    digest = hashlib.sha256(data).hexdigest()
    assert digest == MEMBER_SHA256, f"{MEMBER} has sha256 {digest}, expected {MEMBER_SHA256}"
    return data.decode("utf-8")


def load_encoding(path):
    ranks = load_tiktoken_bpe(path)
    specials = dict(SPECIALS)
    specials.update({f"<|reserved_special_token_{i}|>": 128000 + i for i in range(256)
                     if 128000 + i not in SPECIALS.values()})
    return tiktoken.Encoding(name="llama3", pat_str=PATTERN, mergeable_ranks=ranks, special_tokens=specials)


def render(template, messages, date):
    extra = {} if date is None else {"date_string": date}
    by_transformers = render_jinja_template(
        [messages], chat_template=template, add_generation_prompt=True, bos_token=BOS, **extra)[0][0]
    by_jinja2 = jinja2.Environment().from_string(template).render(
        messages=messages, add_generation_prompt=True, bos_token=BOS, **extra)
    has_tool_turn = any(m["role"] in ("tool", "ipython") for m in messages)
    assert has_tool_turn or by_jinja2 == by_transformers, (by_jinja2, by_transformers)
    return by_transformers


# Special-token text inside content is masked while rendering, so that only the template's own
# special tokens split the rendered text; the mask is undone inside each stretch of ordinary text.
MASKS = {s: f"\ue000{i}\ue001" for i, s in enumerate(SPECIALS)}


def masked(messages):
    def mask(text):
        for special, placeholder in MASKS.items():
            text = text.replace(special, placeholder)
        return text
    return [{"role": m["role"], "content": mask(m["content"])} for m in messages]


def ids_of(enc, masked_text):
    """Specials of the template as ids, every stretch between them as ordinary text."""
    ids = []
    for part in re.split("(" + "|".join(re.escape(s) for s in SPECIALS) + ")", masked_text):
        if part in SPECIALS:
            ids.append(SPECIALS[part])
            continue
        for special, placeholder in MASKS.items():
            part = part.replace(placeholder, special)
        ids += enc.encode_ordinary(part)
    return ids


DIALOGS = [
    ([{"role": "user", "content": "Hello!"}], None),
    ([{"role": "system", "content": "You are a helpful assistant."},
      {"role": "user", "content": "  What is 2+2?\n"}], None),
    ([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
      {"role": "assistant", "content": "Hello! How can I help?"}, {"role": "user", "content": "Count to 3."}],
     "1 Dec 2026"),
    ([{"role": "user", "content": "What day is it?"}], "23 Jul 2024"),
    # Only a first system message goes into the system header; a later one is a turn of its own.
    ([{"role": "user", "content": "Hi"}, {"role": "system", "content": "  Late rule. "},
      {"role": "user", "content": "Go"}], None),
    ([{"role": "system", "content": " \n "}, {"role": "user", "content": ""}], None),
    ([{"role": "system", "content": "\u00a0Trimmed as str.strip does\u2028"},
      {"role": "user", "content": "Vielen Dank! Größe: 3 × 4 = 12 😀"}], "2 Feb 2025"),
    ([{"role": "user", "content": "Text with <|eot_id|> inside stays text."}], None),
    # tool and ipython turns: header "ipython", content through tojson, not trimmed.
    ([{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": "Calling."},
      {"role": "tool", "content": "{\"temp\": 21, \"unit\": \"°C\"}"}], None),
    ([{"role": "ipython", "content": " é <a> 'x' \"q\" \\ \n\t\r\b\f\x01\x1f\x7f\u2028 "}], "26 Jul 2024"),
    ([{"role": "system", "content": "Date is in the header."}], "any text at all"),
]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    template = read_template(sys.argv[1])
    vocab = sys.argv[2] if len(sys.argv) > 2 else os.path.expanduser(
        os.environ.get("XDG_DATA_HOME", "~/.local/share") + "/llama3/tokenizer.model")
    enc = load_encoding(vocab)
    lines = []
    for messages, date in DIALOGS:
        assert not any("\ue000" in m["content"] for m in messages)
        text = render(template, messages, date)
        ids = ids_of(enc, render(template, masked(messages), date))
        if not any(s in m["content"] for m in messages for s in SPECIALS):
            assert ids == enc.encode(text, allowed_special="all"), messages
        case = {"messages": messages}
        if date is not None:
            case["date"] = date
        case["ids"] = ids
        lines.append(json.dumps(case, ensure_ascii=False))
    (HERE / "chat-llama3.1.jsonl").write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} Llama 3.1 chat cases", file=sys.stderr)


if __name__ == "__main__":
    main()
