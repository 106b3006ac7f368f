#!/usr/bin/env bash
# Creates .venv at the repository root with the pinned fixture tools of Fixtures/requirements.txt.
# Usage: bash Fixtures/make-venv.sh        (idempotent: reuses an up-to-date venv)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$root/Fixtures/requirements.txt" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/Fixtures/requirements.txt"
echo "$want" > "$stamp"
