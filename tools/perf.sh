#!/usr/bin/env bash
# The perf-* make targets. Usage:
#   tools/perf.sh run SCENARIO       run scripts/SCENARIO.lua against $BASE_URL; writes
#                                    .performance/SCENARIO-<UTC timestamp>.json (result file)
#                                    and .performance/SCENARIO-<UTC timestamp>.txt (summary)
#   tools/perf.sh validate           lueng validate the newest result file
#   tools/perf.sh baseline           copy the newest result file to .performance/baseline.json
# Environment: LUENG (the binary), BASE_URL, PERF_DIR (default .performance),
# PERF_ARGS (more `lueng run` flags, e.g. "-e TIME_SCALE=0.01").
# The exit status is lueng's (0 every SLO met, 1 an SLO failed, 2 a P0 SLO failed).
set -euo pipefail
lueng=${LUENG:-build/lueng}
dir=${PERF_DIR:-.performance}
base_url=${BASE_URL:-http://127.0.0.1:8000}

newest_result() {
  local newest
  newest=$(ls -t "$dir"/*-[0-9]*T[0-9]*Z.json 2>/dev/null | head -n 1 || true)
  [ -n "$newest" ] || { echo "perf: no result file in $dir/ (run make perf-smoke or another perf-* first)" >&2; exit 1; }
  echo "$newest"
}

case "${1:-}" in
  run)
    scenario=${2:?perf: run needs a scenario name}
    script="scripts/$scenario.lua"
    [ -f "$script" ] || { echo "perf: $script does not exist" >&2; exit 104; }
    mkdir -p "$dir"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    result="$dir/$scenario-$stamp.json"
    summary="$dir/$scenario-$stamp.txt"
    echo "perf: $scenario against $base_url; result $result, summary $summary"
    # shellcheck disable=SC2086 # PERF_ARGS is a list of flags
    set +e
    "$lueng" run -e "BASE_URL=$base_url" --summary-export "$result" ${PERF_ARGS:-} "$script" | tee "$summary"
    status=${PIPESTATUS[0]}
    set -e
    echo "perf: $scenario exited $status"
    exit "$status"
    ;;
  validate)
    result=$(newest_result)
    echo "perf: validating $result"
    exec "$lueng" validate "$result"
    ;;
  baseline)
    result=$(newest_result)
    cp "$result" "$dir/baseline.json"
    summary="${result%.json}.txt"
    [ -f "$summary" ] && cp "$summary" "$dir/baseline.txt"
    echo "perf: $result is the baseline now ($dir/baseline.json)"
    ;;
  *)
    echo "usage: tools/perf.sh run SCENARIO | validate | baseline" >&2
    exit 104
    ;;
esac
