#!/usr/bin/env bash
# inspect on a Llama 3 70B GGUF (141 GB, sparse: real header with the full 128K vocabulary and
# 280K merges, no real weights) and on a sharded 70B safetensors checkpoint: llama3 inspect --json
# against gguf-py's gguf-dump --json (llama.cpp's Python package) on the same file, in one run.
# Prints the median wall time of each over RUNS runs and the ratio.
# Usage: swift build -c release && bash Tests/Benchmarks/inspect.sh [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
llama3="$root/.build/release/llama3"
python="$root/.venv/bin/python"
vocab="${LLAMA3_VOCAB:-${XDG_DATA_HOME:-$HOME/.local/share}/llama3/tokenizer.model}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" "$root/Fixtures/llama-layout/make_sparse_model.py" "$work/70b.gguf" --variant 70b --rope-scaling \
  --vocabulary "$vocab" >/dev/null
"$python" "$root/Fixtures/llama-layout/make_sparse_model.py" "$work/70b" --variant 70b --format sharded >/dev/null

# median wall milliseconds of running "$@" $runs times
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

echo "file: 70B GGUF, $(du -h --apparent-size "$work/70b.gguf" | cut -f1) apparent, $(du -h "$work/70b.gguf" | cut -f1) on disk"
ours=$(median_ms "$llama3" inspect "$work/70b.gguf" --json)
peer=$(median_ms "$root/.venv/bin/gguf-dump" --json "$work/70b.gguf")
echo "llama3 inspect --json: ${ours} ms; gguf-dump --json: ${peer} ms; ratio $(awk "BEGIN {printf \"%.1f\", $peer / ($ours > 0 ? $ours : 1)}")x"
sharded=$(median_ms "$llama3" inspect "$work/70b" --json)
echo "llama3 inspect --json on the sharded 70B safetensors folder (4 shards): ${sharded} ms"

# --vocab model.gguf: the vocabulary read from the 70B file's header (no cache), against the
# default tokenizer.model, for one short line.
echo hello > "$work/hello.txt"
from_gguf=$(median_ms "$llama3" count --vocab "$work/70b.gguf" "$work/hello.txt")
from_model=$(median_ms "$llama3" count --vocab "$vocab" "$work/hello.txt")
echo "llama3 count --vocab 70b.gguf: ${from_gguf} ms; --vocab tokenizer.model: ${from_model} ms"
