#!/usr/bin/env bash
# Checks what scripts/install.sh installed under PREFIX (default ~/.local): the binary needs no
# library of the Swift toolchain (ldd), runs from another folder with LD_LIBRARY_PATH unset and
# without the toolchain on PATH, and its completions and man page are in place. CI runs it (.ci/run).
# Usage: bash scripts/check-install.sh [PREFIX]
set -euo pipefail
prefix=${1:-${PREFIX:-$HOME/.local}}
binary="$prefix/bin/llama3"
fail() { echo "check-install: $*" >&2; exit 1; }

[ -x "$binary" ] || fail "$binary is missing or not executable"
swift_path=$(command -v swift || true)
toolchain=""
[ -n "$swift_path" ] && toolchain=$(dirname "$(dirname "$(readlink -f "$swift_path")")")
libraries=$(ldd "$binary" || true)
if echo "$libraries" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libicu' >&2; then
  fail "$binary links the Swift libraries above"
fi
if [ -n "$toolchain" ] && [ "$toolchain" != "/usr" ] && echo "$libraries" | grep -F "$toolchain/" >&2; then
  fail "$binary loads libraries from the toolchain at $toolchain"
fi

elsewhere=$(mktemp -d)
trap 'rm -rf "$elsewhere"' EXIT
run() { (cd "$elsewhere" && env -u LD_LIBRARY_PATH PATH=/usr/bin:/bin HOME="$HOME" "$binary" "$@"); }
[ "$(run --version)" = "0.1.0" ] || fail "$binary --version did not print 0.1.0"
[ "$(printf 'hello world' | run count)" = "2" ] || fail "$binary count did not count 2 tokens in 'hello world' (is the vocabulary installed?)"

for file in share/bash-completion/completions/llama3 share/zsh/site-functions/_llama3 \
  share/fish/vendor_completions.d/llama3.fish share/man/man1/llama3.1; do
  [ -s "$prefix/$file" ] || fail "$prefix/$file is missing or empty"
done
grep -q "tokenize" "$prefix/share/bash-completion/completions/llama3" || fail "the bash completion does not know tokenize"
grep -q '^\.Dt LLAMA3 1' "$prefix/share/man/man1/llama3.1" || fail "$prefix/share/man/man1/llama3.1 is not llama3's man page"
echo "check-install: $binary is self-contained ($(du -h "$binary" | cut -f1)); completions and man page in place"
