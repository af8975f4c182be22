#!/usr/bin/env bash
# Runs the libFuzzer targets of a LUENG_FUZZ build (docs/fuzzing.md).
#
#   tests/fuzz/run.sh BUILD_DIR replay [TARGET...]
#       Runs every input of each target's seed corpus (tests/fuzz/corpus/TARGET)
#       once: the regression test of everything the fuzzers found.
#   tests/fuzz/run.sh BUILD_DIR fuzz SECONDS [TARGET...]
#       Fuzzes each target for SECONDS, from its seeds and what earlier runs found
#       (BUILD_DIR/fuzz-corpus/TARGET, where new inputs go); a crash leaves its
#       input in BUILD_DIR/fuzz-artifacts/TARGET/ and fails the run.
#
# Without TARGETs, every target. FUZZ_JOBS targets run at once (default: the
# number of cores). The ASan/UBSan options make every report fatal.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="${1:?usage: run.sh BUILD_DIR replay|fuzz [SECONDS] [TARGET...]}"
mode="${2:?usage: run.sh BUILD_DIR replay|fuzz [SECONDS] [TARGET...]}"
shift 2
seconds=0
if [ "$mode" = fuzz ]; then
  seconds="${1:?fuzz needs SECONDS}"
  shift
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=()
  for dir in "$here"/corpus/*/; do targets+=("$(basename "$dir")"); done
fi
jobs="${FUZZ_JOBS:-$(nproc)}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

run_one() {
  local target="$1" binary="$build/tests/fuzz/fuzz_$1" log="$build/fuzz-logs/$1.log"
  local seeds="$here/corpus/$target"
  [ -x "$binary" ] || { echo "fuzz: $binary is not built"; return 1; }
  local dict=()
  [ -f "$here/dict/$target.dict" ] && dict=(-dict="$here/dict/$target.dict")
  mkdir -p "$build/fuzz-logs"
  if [ "$mode" = replay ]; then
    # Each file once, no fuzzing: libFuzzer runs the files named on its command line.
    if ! "$binary" "$seeds"/* >"$log" 2>&1; then
      echo "fuzz: $target: a corpus input fails (log: $log)"
      tail -n 40 "$log"
      return 1
    fi
    echo "fuzz: $target: $(find "$seeds" -type f | wc -l) corpus inputs pass"
    return 0
  fi
  local work="$build/fuzz-corpus/$target" artifacts="$build/fuzz-artifacts/$target/"
  mkdir -p "$work" "$artifacts"
  if ! "$binary" "$work" "$seeds" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts" \
      >"$log" 2>&1; then
    echo "fuzz: $target: FOUND A CRASH (input in $artifacts, log: $log)"
    grep -m1 -A30 -E "ERROR: |runtime error|deadly signal|Timeout|out-of-memory" "$log" || tail -n 40 "$log"
    return 1
  fi
  local runs execs
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  execs="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  echo "fuzz: $target: ${seconds}s, ${runs:-?} runs (${execs:-?}/s), corpus $(ls "$work" | wc -l) inputs, no crash"
}

export -f run_one
export build mode seconds here
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {}
