#!/usr/bin/env bash
# Builds llama3 as a self-contained binary (Swift's runtime and FoundationEssentials linked in with
# --static-swift-stdlib, so it runs without the toolchain's libraries) and installs it under a
# prefix with its shell completions and man page:
#   PREFIX/bin/llama3
#   PREFIX/share/bash-completion/completions/llama3
#   PREFIX/share/zsh/site-functions/_llama3
#   PREFIX/share/fish/vendor_completions.d/llama3.fish
#   PREFIX/share/man/man1/llama3.1
# Usage: [PREFIX=~/.local] bash scripts/install.sh     (PREFIX defaults to ~/.local; rerun to update)
# The completions come from argument-parser's --generate-completion-script, the man page from its
# generate-manual plugin (swift package plugin generate-manual), both run on the built binary.
# The binary still uses the system's C libraries (libc, libzstd, libxxhash, zlib: scripts/setup.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-$HOME/.local}
cd "$root"

# The man page first. The plugin builds the package before it runs llama3 to read its options;
# --static-swift-stdlib changes every compile command, so no release build could be shared with
# it: it builds the debug configuration, the one `swift test` builds too.
swift package plugin generate-manual --configuration debug >/dev/null
manual="$root/.build/plugins/GenerateManual/outputs/llama3"
swift build -c release --product llama3 --static-swift-stdlib
binary="$(swift build -c release --product llama3 --static-swift-stdlib --show-bin-path)/llama3"

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
# strip: the symbol tables are most of an unstripped static binary's size.
install -m 755 -s "$binary" "$prefix/bin/llama3"
"$prefix/bin/llama3" --generate-completion-script bash > "$prefix/share/bash-completion/completions/llama3"
"$prefix/bin/llama3" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_llama3"
"$prefix/bin/llama3" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/llama3.fish"
install -m 644 "$manual"/*.1 "$prefix/share/man/man1/"

echo "installed $prefix/bin/llama3 ($(du -h "$prefix/bin/llama3" | cut -f1)), its completions and man pages"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH; add it, or run $prefix/bin/llama3" ;;
esac
