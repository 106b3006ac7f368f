#!/usr/bin/env bash
# Hashing throughput: `llama3 checksum` (XXH3-64 of every tensor, in parallel) against
# `xxhsum -H3` (apt: xxhash) of the whole file, on a ~1 GB Llama-shaped F32 GGUF made by gguf-py
# at run time (deleted afterwards). Page cache warm; best of RUNS.
# Usage, from the repository root: swift build -c release && bash Tests/Benchmarks/checksum.sh [RUNS]
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
"$root/.venv/bin/python" "$root/Tests/Benchmarks/make_llama_f32_gguf.py" "$folder/model.gguf"
cat "$folder/model.gguf" > /dev/null
best() {
  local best_time=999999
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    local ms=$(( (end - start) / 1000000 ))
    (( ms < best_time )) && best_time=$ms
  done
  echo "$best_time"
}
bytes=$(stat -c %s "$folder/model.gguf")
ours=$(best "$root/.build/release/llama3" checksum "$folder/model.gguf")
ours1=$(best "$root/.build/release/llama3" checksum "$folder/model.gguf" --threads 1)
peer=$(best xxhsum -H3 "$folder/model.gguf")
echo "file: $((bytes / 1000000)) MB, best of $runs"
echo "llama3 checksum (all cores): $ours ms ($((bytes / 1000 / (ours > 0 ? ours : 1))) MB/s)"
echo "llama3 checksum --threads 1: $ours1 ms ($((bytes / 1000 / (ours1 > 0 ? ours1 : 1))) MB/s)"
echo "xxhsum -H3 (whole file):     $peer ms ($((bytes / 1000 / (peer > 0 ? peer : 1))) MB/s)"
echo "ratio (xxhsum / llama3, all cores): $(awk "BEGIN { printf \"%.2f\", $peer / ($ours > 0 ? $ours : 1) }")x"
