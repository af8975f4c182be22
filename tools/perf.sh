#!/usr/bin/env bash
# The perf-* make targets (docs/hotel-library.md, "With make"). Usage:
#   tools/perf.sh run SCENARIO       scripts/SCENARIO.lua against $BASE_URL; writes, in $PERF_DIR:
#                                      results-SCENARIO-STAMP.json  the result file
#                                      summary-SCENARIO-STAMP.txt   the console summary
#                                      summary-SCENARIO-STAMP.html  the HTML report
#                                      results-SCENARIO-STAMP.md    the Markdown report (also
#                                                                   results-SCENARIO-latest.md
#                                                                   and summary.md)
#                                      junit-SCENARIO-STAMP.xml     the JUnit report
#   tools/perf.sh validate [SCENARIO]  lueng validate the newest result (of SCENARIO)
#   tools/perf.sh baseline SCENARIO...  run each and keep its result as baseline-SCENARIO.json
#                                      (baseline-report.md: their Markdown reports)
#   tools/perf.sh compare [SCENARIO...] newest result of each scenario against its baseline
#   tools/perf.sh report [SCENARIO]  render the reports of the newest result (of SCENARIO) again
#   tools/perf.sh health             is $BASE_URL$HEALTH_PATH answering 200? (waits HEALTH_WAIT s)
# Environment: LUENG (the binary), BASE_URL, PERF_DIR (default .performance), PERF_ARGS
# (more `lueng run` flags, e.g. "-e TIME_SCALE=0.01"), HEALTH_PATH (default /health/live),
# HEALTH_WAIT (seconds, default 30), TOLERANCE (compare, default 10%), PERF_STAMP (the
# stamp of the files of a run; default the UTC time).
# The exit status is lueng's (0 every SLO met, 1 an SLO failed, 2 a P0 SLO failed,
# 104 a usage error here, 105 interrupted, 107 a script error).
set -euo pipefail
lueng=${LUENG:-build/lueng}
dir=${PERF_DIR:-.performance}
base_url=${BASE_URL:-http://127.0.0.1:8000}
base_url=${base_url%/}
health_path=${HEALTH_PATH:-/health/live}
scenarios="smoke load stress spike soak"

usage() {
  echo "usage: tools/perf.sh run SCENARIO | validate [SCENARIO] | baseline SCENARIO... |" \
    "compare [SCENARIO...] | report [SCENARIO] | health" >&2
  exit 104
}

# The newest result file, of one scenario or of any; "" when there is none.
newest_result() {
  local pattern="results-${1:-*}-[0-9]*T[0-9]*Z.json"
  # shellcheck disable=SC2012,SC2086 # names are ours: no spaces, no newlines
  ls -t "$dir"/$pattern 2>/dev/null | head -n 1 || true
}

require_result() {
  local result
  result=$(newest_result "${1:-}")
  [ -n "$result" ] || {
    echo "perf: no result file${1:+ of $1} in $dir/ (run make perf-${1:-smoke} first)" >&2
    exit 104
  }
  echo "$result"
}

check_scenario() {
  [ -f "scripts/$1.lua" ] || { echo "perf: scripts/$1.lua does not exist (scenarios: $scenarios)" >&2; exit 104; }
}

# The name of the scenario a result file belongs to: results-load-20260101T...Z.json -> load.
scenario_of() {
  local name
  name=$(basename "$1" .json)
  name=${name#results-}
  echo "${name%-*}"
}

# Renders the reports of a result file next to it, with the names of a run.
render_reports() {
  local result=$1 scenario stem
  scenario=$(scenario_of "$result")
  stem=${result%.json}
  stem=${stem#"$dir"/results-}
  "$lueng" report "$result" --html "$dir/summary-$stem.html" --markdown "$dir/results-$stem.md" \
    --junit "$dir/junit-$stem.xml"
  cp "$dir/results-$stem.md" "$dir/results-$scenario-latest.md"
  cp "$dir/results-$stem.md" "$dir/summary.md"
}

print_files() {
  local stem=$1 scenario=$2 file
  echo "perf: reports of $scenario in $dir/:"
  for file in "results-$stem.json" "summary-$stem.txt" "summary-$stem.html" "results-$stem.md" \
    "results-$scenario-latest.md" "junit-$stem.xml"; do
    [ -f "$dir/$file" ] && echo "  $dir/$file"
  done
  return 0
}

run_scenario() {
  local scenario=$1 stamp stem status
  check_scenario "$scenario"
  mkdir -p "$dir"
  stamp=${PERF_STAMP:-$(date -u +%Y%m%dT%H%M%SZ)}
  # Two runs in one second would share their files: the second waits for the next.
  while [ -z "${PERF_STAMP:-}" ] && [ -e "$dir/results-$scenario-$stamp.json" ]; do
    sleep 0.2
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
  done
  stem="$scenario-$stamp"
  echo "perf: $scenario against $base_url"
  local health_env=()
  [ -n "${HEALTH_PATH:-}" ] && health_env=(-e "HEALTH_PATH=$HEALTH_PATH")
  set +e
  # shellcheck disable=SC2086 # PERF_ARGS is a list of flags
  "$lueng" run -e "BASE_URL=$base_url" "${health_env[@]}" --summary-export "$dir/results-$stem.json" \
    --out "html=$dir/summary-$stem.html" --out "markdown=$dir/results-$stem.md" \
    --out "junit=$dir/junit-$stem.xml" ${PERF_ARGS:-} "scripts/$scenario.lua" |
    tee "$dir/summary-$stem.txt"
  status=${PIPESTATUS[0]}
  set -e
  if [ -f "$dir/results-$stem.md" ]; then
    cp "$dir/results-$stem.md" "$dir/results-$scenario-latest.md"
    cp "$dir/results-$stem.md" "$dir/summary.md"
  fi
  print_files "$stem" "$scenario"
  echo "perf: $scenario exited $status"
  return "$status"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  run)
    [ $# -eq 1 ] || usage
    status=0
    run_scenario "$1" || status=$?
    exit "$status"
    ;;
  validate)
    result=$(require_result "${1:-}")
    echo "perf: validating $result"
    exec "$lueng" validate "$result"
    ;;
  baseline)
    [ $# -ge 1 ] || usage
    mkdir -p "$dir"
    : >"$dir/.baseline-report.md.new"
    worst=0
    for scenario in "$@"; do
      status=0
      run_scenario "$scenario" || status=$?
      result=$(newest_result "$scenario")
      # A run that did not finish with an SLO verdict is no reference for later ones.
      if [ -z "$result" ] || [ "$status" -gt 2 ] || [ "$status" -eq 2 ]; then
        echo "perf: $scenario exited $status: not kept as its baseline" >&2
        worst=$((status > worst ? status : worst))
        continue
      fi
      cp "$result" "$dir/baseline-$scenario.json"
      { echo "# Baseline: $scenario ($(basename "$result"))"; echo; cat "${result%.json}.md" 2>/dev/null || true; echo; } \
        >>"$dir/.baseline-report.md.new"
      echo "perf: $result is the $scenario baseline now ($dir/baseline-$scenario.json)"
      worst=$((status > worst ? status : worst))
    done
    mv "$dir/.baseline-report.md.new" "$dir/baseline-report.md"
    echo "perf: baseline report $dir/baseline-report.md"
    exit "$worst"
    ;;
  compare)
    [ $# -gt 0 ] || set -- $scenarios
    compared=0
    worst=0
    for scenario in "$@"; do
      baseline="$dir/baseline-$scenario.json"
      [ -f "$baseline" ] || continue
      result=$(newest_result "$scenario")
      [ -n "$result" ] || continue
      if [ "$(readlink -f "$result")" = "$(readlink -f "$baseline")" ] || cmp -s "$result" "$baseline"; then
        echo "perf: $scenario: the newest run is the baseline itself; nothing to compare"
        continue
      fi
      compared=$((compared + 1))
      echo "perf: $scenario: $result against $baseline"
      status=0
      "$lueng" compare "$baseline" "$result" --tolerance "${TOLERANCE:-10%}" || status=$?
      "$lueng" compare "$baseline" "$result" --tolerance "${TOLERANCE:-10%}" --format markdown \
        >"$dir/compare-$scenario.md" || true
      echo "perf: $dir/compare-$scenario.md"
      worst=$((status > worst ? status : worst))
    done
    if [ "$compared" -eq 0 ]; then
      echo "perf: nothing to compare: no scenario has both $dir/baseline-SCENARIO.json and a newer run (make perf-baseline first)" >&2
      exit 104
    fi
    exit "$worst"
    ;;
  report)
    result=$(require_result "${1:-}")
    render_reports "$result"
    stem=$(basename "$result" .json)
    print_files "${stem#results-}" "$(scenario_of "$result")"
    ;;
  health)
    url="$base_url$health_path"
    wait=${HEALTH_WAIT:-30}
    deadline=$((SECONDS + wait))
    while :; do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)
      if [ "$code" = 200 ]; then
        echo "perf: $url answers 200"
        exit 0
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "perf: $url answered ${code:-nothing} (not 200) for ${wait}s: the target is not ready" >&2
        exit 1
      fi
      sleep 1
    done
    ;;
  *) usage ;;
esac
