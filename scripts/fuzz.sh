#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (Docs/FUZZING.md) and runs them, failing on any finding.
#
#   scripts/fuzz.sh TARGET[,TARGET...]|all SECONDS [-j JOBS]
#
# TARGET is a name from `scripts/fuzz.sh list` (gguf, json, tokenizer...); SECONDS is the time
# each target runs; -j runs that many targets at a time (default 1; each is one process).
# Every run starts with the committed seeds (Fuzz/seeds/TARGET, fixtures) and regression inputs
# (Fuzz/regressions/TARGET), so a finding fixed once is checked again on every run. The corpus
# grown by earlier runs is kept in .build-fuzz/corpus/TARGET. A crash, an error other than the
# one-line FileError, a broken property, a leak, a timeout (10 s for one input) or more than
# 2 GB of memory stops the target with an input in .build-fuzz/findings/TARGET/, and the
# script exits 1. Logs: .build-fuzz/logs/TARGET.log; each kind of refusal message met, digits
# folded to N: .build-fuzz/messages/TARGET.txt. Environment: FUZZ_CONFIG (below),
# FUZZ_EXTRA_FLAGS (more libFuzzer flags), FUZZ_SCRATCH (another build and corpus folder than
# .build-fuzz), FUZZ_NICE (the targets' niceness, 10 by default: the machine is shared),
# LLAMA3_FUZZ_VOCAB (the tokenizer target's vocabulary; else the installed default).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch=${FUZZ_SCRATCH:-$root/.build-fuzz}
targets=(gguf gguf-split safetensors safetensors-index pth vocab-tiktoken vocab-tokenizer-json vocab-gguf vocab-cache json zstd tokenizer zip)

usage() { echo "usage: scripts/fuzz.sh TARGET[,TARGET...]|all|list SECONDS [-j JOBS]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
if [[ $1 == list ]]; then printf '%s\n' "${targets[@]}"; exit 0; fi
[[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || usage
which=$1 seconds=$2 jobs=1
shift 2
if [[ $# -gt 0 ]]; then
    [[ $1 == -j && $# -eq 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage
    jobs=$2
fi
if [[ $which == all ]]; then
    selected=("${targets[@]}")
else
    IFS=, read -r -a selected <<<"$which"
    for target in "${selected[@]}"; do
        [[ " ${targets[*]} " == *" $target "* ]] || { echo "fuzz.sh: no target $target; expected one of: ${targets[*]}" >&2; exit 2; }
    done
fi

# SwiftPM passes --sanitize values to the compiler one flag each, and the driver keeps only the
# last -sanitize flag when compiling: the combined -Xswiftc flag puts both coverage
# instrumentation (fuzzer) and AddressSanitizer into every module. --sanitize fuzzer stays so
# that SwiftPM links libFuzzer's main instead of the targets' own entry points.
# FUZZ_CONFIG=release builds optimised targets (about 7 times the executions per second, a
# longer build: what the long runs of Docs/FUZZING.md use); debug is the default and CI's.
# -enable-testing lets the targets that reach internal entry points build in release too.
config=${FUZZ_CONFIG:-debug}
[[ $config == debug || $config == release ]] || { echo "fuzz.sh: FUZZ_CONFIG is debug or release, not $config" >&2; exit 2; }
build=(swift build -c "$config" --package-path Fuzz --scratch-path "$scratch" --sanitize fuzzer
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)
start=$SECONDS
set +e
nice "${build[@]}" 2>&1 | grep -v 'ld.gold: warning: Cannot export local symbol' | grep -v '^\['
[[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "fuzz.sh: the fuzz build failed" >&2; exit 1; }
set -e
bin=$("${build[@]}" --show-bin-path)
for target in "${selected[@]}"; do
    [[ -x $bin/fuzz-$target ]] || { echo "fuzz.sh: the build did not produce $bin/fuzz-$target" >&2; exit 1; }
done
echo "fuzz build took $((SECONDS - start)) s"

# Fixture files that are seeds as they are, beside Fuzz/seeds/TARGET (written by Fuzz/make_seeds.py).
fixture_seeds() {
    case $1 in
    gguf) ls Fixtures/formats/*.gguf ;;
    safetensors) ls Fixtures/formats/*.safetensors Fixtures/formats/sharded/*.safetensors ;;
    json) ls Fixtures/llama-layout/*.json Fixtures/reference-model/llamacpp-converted/hf/*.json \
        Fixtures/llamacpp-quantized/ids.json Fixtures/llamacpp-quantized/names.json \
        Fixtures/formats/sharded/model.safetensors.index.json Fixtures/llama-convert/*.json ;;
    esac
}

run_target() {
    local target=$1
    local corpus=$scratch/corpus/$target fixtures=$scratch/fixture-seeds/$target
    local findings=$scratch/findings/$target/ log=$scratch/logs/$target.log
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    rm -rf "$fixtures" && mkdir -p "$fixtures"
    local file
    for file in $(fixture_seeds "$target"); do cp "$file" "$fixtures/"; done
    local dirs=("$corpus" "$fixtures")
    [[ -d Fuzz/seeds/$target ]] && dirs+=("Fuzz/seeds/$target")
    [[ -d Fuzz/regressions/$target ]] && dirs+=("Fuzz/regressions/$target")
    local status=0
    # shellcheck disable=SC2086
    mkdir -p "$scratch/messages"
    FUZZ_MESSAGE_LOG=$scratch/messages/$target.txt nice -n "${FUZZ_NICE:-10}" "$bin/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$findings" ${FUZZ_EXTRA_FLAGS:-} "${dirs[@]}" >"$log" 2>&1 || status=$?
    local runs rate
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    if [[ $status -ne 0 ]]; then
        echo "FAIL $target (exit $status): $(grep -m1 -E 'FUZZ FINDING|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|Fatal error' "$log" || echo 'see log'); input: $(ls -t "$findings" | head -1); log: $log"
        return 1
    fi
    echo "ok   $target: ${runs:-?} runs in ${seconds} s (${rate:-?}/s), corpus $(ls "$corpus" | wc -l) inputs"
}

failed=0
running=0
for target in "${selected[@]}"; do
    run_target "$target" &
    running=$((running + 1))
    if [[ $running -ge $jobs ]]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
done
while [[ $running -gt 0 ]]; do
    wait -n || failed=1
    running=$((running - 1))
done
if [[ $failed -ne 0 ]]; then
    echo "fuzz.sh: findings above; each input is in .build-fuzz/findings/TARGET/ (rerun one: $bin/fuzz-TARGET FILE)" >&2
    exit 1
fi
echo "fuzz.sh: no findings"
