#!/usr/bin/env python3
"""Golden data for the BPETokenizer tests, made only with independent tools:

  encoding.jsonl  {"case", "text", "special", "ids"}: ids from tiktoken 0.14.0 with the official
                  Llama 3 tokenizer.model (encode_ordinary; with "special": encode with every
                  special token allowed, names of llama-models 0.3.0, ids 128000..128255)
  presplit.jsonl  {"text", "pieces"}: the Llama 3 regex run by the `regex` module on generated
                  strings; every string is also checked against tiktoken (the ids of the pieces
                  one by one equal the ids of the whole), so these pieces are tiktoken's
  chat.jsonl      {"messages", "ids"}: the Llama 3 instruct format of Docs/TOKENIZER.md rendered as text
                  (content trimmed with Python's str.strip, as Meta's original ChatFormat and the
                  HF template's `| trim` do) and encoded by tiktoken with special tokens allowed;
                  every rendered text is checked against the chat template that Meta's
                  Meta-Llama-3-8B-Instruct tokenizer_config.json carries, rendered by jinja2

Rerun from the repository root after `bash vocab/install.sh` and `bash Fixtures/make-venv.sh`:
  .venv/bin/python Fixtures/tokenizer/make_goldens.py [PATH/TO/tokenizer.model]
The output is deterministic (fixed seeds).
"""
import json
import os
import pathlib
import random
import sys

import regex
import tiktoken
import unicodedata2
from tiktoken.load import load_tiktoken_bpe

assert tiktoken.__version__ == "0.14.0", tiktoken.__version__

PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
           r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
HERE = pathlib.Path(__file__).resolve().parent


def special_tokens():
    named = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
             "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>", "<|step_id|>",
             "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>",
             "<|python_tag|>", "<|image|>"]
    names = named + [f"<|reserved_special_token_{2 + i}|>" for i in range(256 - len(named))]
    return {name: 128000 + i for i, name in enumerate(names)}


def load_encoding(path):
    ranks = load_tiktoken_bpe(path)
    assert len(ranks) == 128000, len(ranks)
    return tiktoken.Encoding("llama3", pat_str=PATTERN, mergeable_ranks=ranks,
                             special_tokens=special_tokens())


def u16_class(ch):
    """0 other, 1 letter, 2 number, 3 white space: Unicode 16 as tiktoken's regex sees it."""
    if regex.match(r"\s", ch):
        return 3
    major = unicodedata2.category(ch)[0]
    return 1 if major == "L" else 2 if major == "N" else 0


def regex_module_class(ch):
    return 3 if regex.match(r"\s", ch) else 1 if regex.match(r"\p{L}", ch) else 2 if regex.match(r"\p{N}", ch) else 0


# ---------------------------------------------------------------------------------------------
# Encoding cases

SENTENCES = {
    "english": "The quick brown fox jumps over the lazy dog. It's 3:45pm, isn't it?",
    "french": "Où est la bibliothèque ? Je voudrais lire « Les Misérables » à l'été.",
    "german": "Größenwahnsinnige Straßenbahnfahrer überqueren die Brücke.",
    "vietnamese": "Cửa Việt là một thị trấn ở Quảng Trị, Việt Nam.",
    "polish": "Zażółć gęślą jaźń; źdźbło trawy.",
    "turkish": "İstanbul'da ılık bir gün; IĞDIR ve ığdır.",
    "greek": "Η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο.",
    "russian": "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "ukrainian": "Чуєш їх, доцю, га? Кумедна ж ти, прощайся без ґольфів!",
    "armenian": "Բարև ձեզ, ինչպե՞ս եք։",
    "georgian": "გამარჯობა, როგორ ხარ?",
    "hebrew": "שָׁלוֹם עוֹלָם, מה שלומך?",
    "arabic": "مرحبا بالعالم! كيف حالك؟ ١٢٣٤٥",
    "persian": "سلام دنیا، حال شما چطور است؟ ۱۲۳",
    "urdu": "ہیلو دنیا، آپ کیسے ہیں؟",
    "hindi": "नमस्ते दुनिया, आप कैसे हैं? १२३४",
    "bengali": "হ্যালো বিশ্ব, আপনি কেমন আছেন? ১২৩",
    "tamil": "வணக்கம் உலகம், நீங்கள் எப்படி இருக்கிறீர்கள்?",
    "telugu": "హలో ప్రపంచం, మీరు ఎలా ఉన్నారు?",
    "gujarati": "હેલો વિશ્વ, તમે કેમ છો?",
    "punjabi": "ਸਤ ਸ੍ਰੀ ਅਕਾਲ ਦੁਨੀਆ",
    "sinhala": "ආයුබෝවන් ලෝකය",
    "thai": "สวัสดีชาวโลก คุณสบายดีไหม ๑๒๓",
    "lao": "ສະບາຍດີຊາວໂລກ",
    "khmer": "សួស្តី​ពិភពលោក",
    "burmese": "မင်္ဂလာပါ ကမ္ဘာလောက",
    "tibetan": "བཀྲ་ཤིས་བདེ་ལེགས། ༡༢༣",
    "chinese": "你好，世界！今天天气很好。我们去公园散步吧。",
    "traditional_chinese": "臺灣的夜市很熱鬧，小吃非常好吃。",
    "japanese": "こんにちは世界！カタカナとひらがな、漢字を混ぜた文。",
    "korean": "안녕하세요 세계! 오늘 날씨가 좋네요.",
    "mongolian_script": "ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ",
    "ethiopic": "ሰላም ለዓለም፣ እንዴት ነህ?",
    "cherokee": "ᎣᏏᏲ ᎠᏂᏴᏫ",
    "syriac": "ܫܠܡܐ ܥܠܡܐ",
    "thaana": "ހެލޯ ދުނިޔެ",
    "nko": "ߊߟߎ߫ ߘߐ߫",
    "canadian_syllabics": "ᐊᐃᐅ ᑕᑎᑐ ᓄᓇᕗᑦ",
    "runic_ogham": "ᚠᚢᚦᚨᚱᚲ ᚛ᚁᚂᚃ᚜",
    "gothic_supplementary": "𐌰𐌱𐌲𐌳 𐌴𐌵",
    "cuneiform": "𒀀𒀁𒀂 𒀃",
    "math_alphanumerics": "𝐀𝐁𝐂 𝑥𝑦𝑧 𝟏𝟐𝟑",
    "unicode16_new_scripts": "𐵐𐵑𐵒 𖵀𖵁 𞗐𞗑",  # Garay, Kirat Rai, Ol Onal (letters new in 16.0)
    "code_python": "def encode(self, text: str) -> list[int]:\n    return [self.ranks[b] for b in text.encode('utf-8')]\n",
    "code_json": '{"name": "llama3", "vocab": 128256, "rope_theta": 500000.0, "ok": true}',
    "code_html": "<div class=\"x\">&nbsp;Hello&amp;bye</div>\n<!-- comment -->",
    "code_c": "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }\r\n",
    "markdown": "# Title\n\n- item one\n- item **two**\n\n```sh\nllama3 count README.md\n```\n",
    "url_email": "See https://example.com/path?q=1&r=two#frag or mail me@example.org.",
    "numbers": "3.14159 2,718,281 1e-5 -42 +7 0x1F 1_000_000 12:30:45 2024-05-01",
}

EMOJI = [
    "😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷🇯🇵", "1️⃣", "❤️", "🧑🏿‍💻", "👩‍❤️‍💋‍👨", "🫠🫡",
    "☺︎", "#️⃣*️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🐈‍⬛", "🤷‍♀️ ok",
]

COMBINING = [
    "e\u0301", "cafe\u0301 noe\u0308l", "Vie\u0323\u0302t", "a\u0300\u0301\u0302\u0303\u0304",
    "Z\u0351\u036b\u0343a\u0310l\u0352g\u0344o\u0350", "\u0301start", "x \u0301y", "क्षि", "ि",
    "שָׁ", "e\u20dd", "n\u0303o", "\u0345\u0345\u0345",
]

DIGITS = [
    "0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "০১২৩৪৫৬৭৮৯", "๐๑๒๓๔๕๖๗๘๙",
    "０１２３４５６７８９", "²³¹⁴", "½¾⅓", "ⅠⅡⅢⅫ", "①②③", "𝟎𝟏𝟐𝟑𝟒", "᠐᠑᠒", "၀၁၂",
    "༠༡༢", "߀߁߂", "〇一二", "𒐀𒐁",
]

WHITESPACE_CHARS = ["\u00a0", "\u3000", "\u2028", "\u2029", "\u0085", "\u1680", "\u2000", "\u2003",
                    "\u2009", "\u200a", "\u202f", "\u205f", "\u000b", "\u000c", "\u001c", "\u001f",
                    "\u200b", "\u180e", "\ufeff", "\t", "\r", "\n", " "]


def encoding_cases(enc):
    rng = random.Random(20260523)
    cases = []

    def add(case, text, special=False):
        cases.append((case, text, special))

    for name, text in SENTENCES.items():
        add("script:" + name, text)
        add("script:" + name + ":lines", text + "\n" + text.upper() + "\r\n  " + text[:20] + "  ")
    for family in ["letters", "mixed"]:
        for block_start in [0x0100, 0x0370, 0x0400, 0x0530, 0x0590, 0x0600, 0x0900, 0x0980, 0x0B80,
                            0x0E00, 0x10A0, 0x1100, 0x1200, 0x13A0, 0x1E00, 0x3040, 0x30A0, 0x4E00,
                            0xAC00, 0xA000, 0x10400, 0x1D400, 0x20000, 0x1F300]:
            chars = [chr(c) for c in range(block_start, block_start + 256) if unicodedata2.category(chr(c)) != "Cn"]
            pool = chars + ([" ", ",", ".", "1", "\n"] if family == "mixed" else [])
            text = "".join(rng.choice(pool) for _ in range(rng.randint(5, 40)))
            add(f"block:{block_start:04X}:{family}", text)
    for i, e in enumerate(EMOJI):
        add(f"emoji:{i}", e)
        add(f"emoji:{i}:in-text", f"Hi {e} there{e}!{e}\n")
    for i, c in enumerate(COMBINING):
        add(f"combining:{i}", c)
        add(f"combining:{i}:spaced", f" {c} {c}.")
    for i, d in enumerate(DIGITS):
        add(f"digits:{i}", d)
        add(f"digits:{i}:mixed", f"a{d}b {d[:2]} x{d[::-1]}")
    for length in [1, 2, 3, 4, 5, 6, 7, 10, 31, 100, 1000]:
        add(f"digit-run:{length}", "".join(str((i * 7) % 10) for i in range(length)))
        add(f"digit-run:{length}:spaced", " " + "9" * length + " ")
    add("digit-run:separators", "1,234,567.89 1 234 567 1'234'567 ١٬٢٣٤")
    for suffix in ["s", "t", "re", "ve", "m", "ll", "d"]:
        variants = {suffix}
        for mask in range(1 << len(suffix)):
            variants.add("".join(ch.upper() if mask >> k & 1 else ch for k, ch in enumerate(suffix)))
        for v in sorted(variants):
            add(f"contraction:'{v}", f"it'{v} I'{v} x'{v}y '{v} '{v}'{v} ''{v} 1'{v} '{v}\n")
    add("contraction:long-s", "it'ſ 'ſa 'ſ 'ſſ IT'ſ")
    add("contraction:typographic", "it’s don’t we’re")
    add("contraction:almost", "'r 'v 'l 'x 're' 'lL' 'LLL 'dd 'st '")
    add("contraction:sentence", "DON'T YOU'LL WE'VE I'M SHE'D THEY'RE It'S you'Re")
    for i in range(40):
        text = "".join(rng.choice(["a", "b", " ", "\t", "\r", "\n", "\r\n", "  ", "!", "\u00a0", "\u3000", "x"])
                       for _ in range(rng.randint(3, 25)))
        add(f"whitespace-mix:{i}", text)
    for i, w in enumerate(WHITESPACE_CHARS):
        add(f"unicode-space:{i}", f"a{w}b{w}{w}c {w}d{w} e{w}")
        add(f"unicode-space:{i}:alone", w)
        add(f"unicode-space:{i}:before-punct", f"x{w}!{w}{w}?")
    for i, tail in enumerate([" ", "  ", "\n", "\n\n", " \n", "\n ", "\t", "\r\n", "\u00a0", " \u3000", "\r", "   \t\n  "]):
        add(f"trailing-space:{i}", "hello" + tail)
        add(f"trailing-space:{i}:punct", "end." + tail)
    add("empty", "")
    for name, unit, count in [("letters", "a", 2000), ("punct", "!", 3000), ("spaces", " ", 2000),
                              ("newlines", "\n", 1500), ("mixed-word", "abc", 700), ("cyrillic", "ж", 1500),
                              ("cjk", "中", 1200), ("dots", ".-", 1500), ("digits", "7", 3000),
                              ("tabs", "\t", 1000), ("emoji", "😀", 400), ("spaced-word", " ab", 700)]:
        add(f"long:{name}", unit * count)
        add(f"long:{name}:framed", "x " + unit * count + " y")
    add("long:base64", "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(3000)))
    add("long:hex", "".join(rng.choice("0123456789abcdef") for _ in range(2000)))
    # Letters in Unicode 17 but not in 16 (the toolchain's tables would differ here).
    newer = [chr(c) for c in range(0x10000, 0x30000)
             if unicodedata2.category(chr(c)) == "Cn" and regex_module_class(chr(c)) != 0][:24]
    add("unicode17-only", "x" + "".join(newer) + "y " + " ".join(newer))
    specials = list(special_tokens())
    special_texts = [
        "<|begin_of_text|>Hello<|eot_id|>",
        "<|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|>",
        "a<|reserved_special_token_5|>b<|reserved_special_token_245|>",
        "<|eot_id", "<|<|eot_id|>|>", "<|unknown|> <|image|><|python_tag|>x",
        "<|finetune_right_pad_id|><|step_id|><|eom_id|><|reserved_special_token_0|>",
        "text <|end_of_text|>\n<|begin_of_text|> more",
        "<|reserved_special_token_246|>", "|> <| <||> <|eot_id|>",
    ] + [f"{rng.choice(specials)}{rng.choice(list(SENTENCES.values()))[:15]}{rng.choice(specials)}" for _ in range(10)]
    for i, text in enumerate(special_texts):
        add(f"special:{i}:ordinary", text)
        add(f"special:{i}:parsed", text, special=True)
    for i in range(150):
        add(f"fuzz:{i}", random_text(rng, rng.randint(1, 60)))
    return cases


FUZZ_POOL = (["'", "s", "S", "t", "T", "r", "R", "e", "E", "v", "V", "m", "M", "l", "L", "d", "D", "ſ"] * 2
             + [" ", " ", " ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u3000", "\u2028", "\u0085", "\u000b"]
             + ["0", "1", "9", "٣", "²", "Ⅻ", "𝟏", "½"]
             + ["a", "z", "é", "ж", "中", "ß", "𝐀", "ǅ", "ʰ"]
             + ["\u0301", "\u0308", "\u200d", "\ufe0f"]
             + [".", ",", "!", "?", "-", "\"", "(", ")", "<", "|", ">", "_", "😀", "\u001c", "\u200b", "€", "@"])


def random_text(rng, length):
    return "".join(rng.choice(FUZZ_POOL) for _ in range(length))


# ---------------------------------------------------------------------------------------------
# Pre-split cases: the regex module's pieces, only on characters whose classes agree with
# Unicode 16 (the module follows a newer Unicode), each cross-checked against tiktoken.

def presplit_cases(enc):
    rng = random.Random(16)
    pool = [c for c in FUZZ_POOL if all(u16_class(ch) == regex_module_class(ch) for ch in c)]
    compiled = regex.compile(PATTERN)
    cases = []
    for i in range(400):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))
        pieces = compiled.findall(text)
        assert "".join(pieces) == text
        by_piece = [t for p in pieces for t in enc.encode_ordinary(p)]
        assert by_piece == enc.encode_ordinary(text), f"regex module and tiktoken split {text!r} differently"
        cases.append({"text": text, "pieces": pieces})
    return cases


# ---------------------------------------------------------------------------------------------
# Chat cases

# The `chat_template` of Meta-Llama-3-8B-Instruct's tokenizer_config.json on the HF hub.
HF_LLAMA3_INSTRUCT_TEMPLATE = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
)


def render_with_hf_template(messages):
    import jinja2
    template = jinja2.Environment().from_string(HF_LLAMA3_INSTRUCT_TEMPLATE)
    return template.render(messages=messages, bos_token="<|begin_of_text|>", add_generation_prompt=True)


def chat_cases(enc):
    dialogs = [
        [{"role": "user", "content": "Hello!"}],
        [{"role": "system", "content": "You are a helpful assistant."},
         {"role": "user", "content": "  What is 2+2?\n"}],
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
         {"role": "assistant", "content": "Hello! How can I help?"}, {"role": "user", "content": "Count to 3."}],
        [{"role": "user", "content": ""}],
        [{"role": "user", "content": "\u00a0\u3000 trimmed by str.strip \u2028\n\t"}],
        [{"role": "ipython", "content": "{\"result\": 42}"}],
        [{"role": "user", "content": "Text with <|eot_id|> inside stays text."}],
        [{"role": "user", "content": "Vielen Dank! Größe: 3 × 4 = 12 😀"}],
        [{"role": "user", "content": "\x1cSeparator is space for str.strip\x1f"}],
    ]
    cases = []
    for messages in dialogs:
        text = "<|begin_of_text|>"
        for m in messages:
            text += f"<|start_header_id|>{m['role']}<|end_header_id|>\n\n{m['content'].strip()}<|eot_id|>"
        text += "<|start_header_id|>assistant<|end_header_id|>\n\n"
        assert text == render_with_hf_template(messages), (text, render_with_hf_template(messages))
        # Content is text: only the format's own special tokens are special (content that
        # contains special-token text is encoded as ordinary text, as Meta's encoder does).
        ids = [128000]
        for m in messages:
            ids += [128006] + enc.encode_ordinary(m["role"]) + [128007] + enc.encode_ordinary("\n\n")
            ids += enc.encode_ordinary(m["content"].strip()) + [128009]
        ids += [128006] + enc.encode_ordinary("assistant") + [128007] + enc.encode_ordinary("\n\n")
        if "<|eot_id|> inside" not in text:
            assert ids == enc.encode(text, allowed_special="all"), messages
        cases.append({"messages": messages, "ids": ids})
    return cases


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
        os.environ.get("XDG_DATA_HOME", "~/.local/share") + "/llama3/tokenizer.model")
    enc = load_encoding(path)
    lines = []
    for case, text, special in encoding_cases(enc):
        ids = enc.encode(text, allowed_special="all") if special else enc.encode_ordinary(text)
        assert enc.decode_bytes(ids) == text.encode("utf-8")
        lines.append(json.dumps({"case": case, "text": text, "special": special, "ids": ids}))
    (HERE / "encoding.jsonl").write_text("\n".join(lines) + "\n")
    presplit = presplit_cases(enc)
    (HERE / "presplit.jsonl").write_text("\n".join(json.dumps(c) for c in presplit) + "\n")
    chats = chat_cases(enc)
    (HERE / "chat.jsonl").write_text("\n".join(json.dumps(c) for c in chats) + "\n")
    print(f"{len(lines)} encoding cases, {len(presplit)} pre-split cases, {len(chats)} chat cases", file=sys.stderr)


if __name__ == "__main__":
    main()
