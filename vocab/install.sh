#!/usr/bin/env bash
# Installs the official Llama 3 tokenizer.model at the default vocabulary path (Docs/CLI.md):
#   ${XDG_DATA_HOME:-~/.local/share}/llama3/tokenizer.model
# It comes from the PyPI wheel llama-models==0.3.0 (llama_models/llama3/tokenizer.model) and is
# checked against a pinned sha256 before anything is installed. Idempotent.
# Usage: bash vocab/install.sh [--print-path]
# Offline: LLAMA3_VOCAB_WHEEL=/path/to/llama_models-0.3.0-py3-none-any.whl uses that wheel instead
# of downloading it (the digest is checked all the same).
set -euo pipefail

expected_sha256=82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55
member=llama_models/llama3/tokenizer.model
target_dir="${XDG_DATA_HOME:-$HOME/.local/share}/llama3"
target="$target_dir/tokenizer.model"

if [ "${1:-}" = "--print-path" ]; then echo "$target"; exit 0; fi

if [ -f "$target" ] && [ "$(sha256sum "$target" | cut -d' ' -f1)" = "$expected_sha256" ]; then
  echo "vocabulary already installed: $target"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${LLAMA3_VOCAB_WHEEL:-}" ]; then
  wheel=$LLAMA3_VOCAB_WHEEL
else
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" llama-models==0.3.0
  wheel=$(ls "$work"/llama_models-0.3.0-*.whl)
fi
python3 - "$wheel" "$member" "$work/tokenizer.model" <<'PY'
import sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, open(out, "wb") as f:
    f.write(z.read(member))
PY
actual=$(sha256sum "$work/tokenizer.model" | cut -d' ' -f1)
if [ "$actual" != "$expected_sha256" ]; then
  echo "vocab/install.sh: $member from llama-models 0.3.0 has sha256 $actual, expected $expected_sha256; nothing installed" >&2
  exit 1
fi
mkdir -p "$target_dir"
cp "$work/tokenizer.model" "$target_dir/.tokenizer.model.tmp"
mv "$target_dir/.tokenizer.model.tmp" "$target"
echo "installed the Llama 3 vocabulary: $target"
