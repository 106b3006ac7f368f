"""What the fuzz runs of scripts/fuzz.sh left in .build-fuzz (or FOLDER), for Docs/FUZZING.md:

    python3 Fuzz/report.py table [FOLDER]      # per target: time, runs, runs/s, corpus, peak RSS, result (logs/)
    python3 Fuzz/report.py messages [FOLDER]   # the kinds of refusal message met (messages/)

For `messages`, a message's words that appear in no string of Sources/ (tensor names, keys,
mutated text) become "…" (digits are already N), and each target's kinds are printed with how
many messages fell in each.
"""
import collections
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def source_words():
    words = set()
    for folder, _, files in os.walk(os.path.join(ROOT, "Sources")):
        for name in files:
            if name.endswith(".swift"):
                text = open(os.path.join(folder, name), encoding="utf-8").read()
                for literal in re.findall(r'"((?:[^"\\\n]|\\.)*)"', text):
                    words.update(re.findall(r"[A-Za-z][A-Za-z'-]*", literal))
    return words


def kind(message, words):
    out = []
    for token in re.split(r"(\s+)", message):
        if not token or token.isspace():
            continue
        core = token.strip(",;:()[]")
        keep = core == "" or core == "N" or core in words or re.fullmatch(r"[N.…\"/\-+*=<>]+", core)
        out.append(token if keep else "…")
    text = " ".join(out)
    return re.sub(r"(… ?)+…", "…", text)


def table(scratch):
    print("| target | time (s) | runs | runs/s | corpus | peak RSS (MB) | result |")
    print("|---|---|---|---|---|---|---|")
    logs = os.path.join(scratch, "logs")
    for name in sorted(os.listdir(logs)):
        target = name[:-4]
        text = open(os.path.join(logs, name), encoding="utf-8", errors="replace").read()
        done = re.findall(r"Done (\d+) runs in (\d+) second", text)
        runs, seconds = done[-1] if done else ("?", "?")
        rate = re.findall(r"stat::average_exec_per_sec:\s*(\d+)", text)
        rss = re.findall(r"stat::peak_rss_mb:\s*(\d+)", text)
        corpus = os.path.join(scratch, "corpus", target)
        size = len(os.listdir(corpus)) if os.path.isdir(corpus) else "?"
        problems = re.findall(r"ERROR: (?:libFuzzer|AddressSanitizer|LeakSanitizer): [^\n]*|FUZZ FINDING: [^\n]*", text)
        result = problems[0] if problems else ("no finding" if done else "running or stopped")
        print(f"| {target} | {seconds} | {runs} | {rate[-1] if rate else '?'} | {size} | {rss[-1] if rss else '?'} | {result} |")


def messages(folder):
    words = source_words()
    for name in sorted(os.listdir(folder)):
        lines = [line.rstrip("\n") for line in open(os.path.join(folder, name), encoding="utf-8", errors="replace", newline="\n")]
        kinds = collections.Counter(kind(line, words) for line in set(lines))
        print(f"## {name[:-4]}: {len(set(lines))} messages, {len(kinds)} kinds")
        for text, count in sorted(kinds.items()):
            print(f"{count:5d}  {text}")
        print()


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("table", "messages"):
        sys.exit(__doc__)
    scratch = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, ".build-fuzz")
    if sys.argv[1] == "table":
        table(scratch)
    else:
        messages(os.path.join(scratch, "messages"))


if __name__ == "__main__":
    main()
