#!/usr/bin/env bash
# The pre-deployment gate (docs/hotel-library.md, "The deploy gate"). Usage:
#   tools/perf-gate.sh run SCENARIO     run scripts/SCENARIO.lua (tools/perf.sh run), then decide
#   tools/perf-gate.sh check SCENARIO   decide on the newest .performance/results-SCENARIO-*.json
#   tools/perf-gate.sh check FILE.json  decide on that result file
# Exit status, and nothing else: 0 allow, 1 allow with a warning (an SLO failed, none
# critical), 2 block. It blocks on a critical SLO, on compliance under
# GATE_MIN_COMPLIANCE percent (default 70, the guides' rule; 0 turns it off), and on
# anything that is not a finished run's verdict: no result file, a partial or
# interrupted run, script errors, a failure of this script itself.
# Environment: as tools/perf.sh (LUENG, BASE_URL, PERF_DIR, PERF_ARGS), plus
# GATE_MIN_COMPLIANCE and GATE_ARGS (more `lueng gate` flags: --strict, --slo FILE).
set -uo pipefail
lueng=${LUENG:-build/lueng}
dir=${PERF_DIR:-.performance}
min_compliance=${GATE_MIN_COMPLIANCE:-70}
here=$(dirname "$0")

block() {
  echo "perf-gate: BLOCK (exit 2): $*"
  exit 2
}
# Whatever goes wrong in here blocks: a gate that fails must never read as "allow".
trap 'block "the gate script failed (line $LINENO)"' ERR
trap 'block "the gate was interrupted"' INT TERM

mode=${1:-}
target=${2:-}
[ $# -eq 2 ] && { [ "$mode" = run ] || [ "$mode" = check ]; } ||
  block "usage: tools/perf-gate.sh run SCENARIO | check SCENARIO | check FILE.json"
[ -x "$lueng" ] || block "$lueng is not built (make lueng-build)"

case "$mode" in
  run)
    [ -f "scripts/$target.lua" ] || block "scripts/$target.lua does not exist"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    result="$dir/results-$target-$stamp.json"
    status=0
    PERF_STAMP=$stamp "$here/perf.sh" run "$target" || status=$?
    echo "perf-gate: the $target run exited $status; deciding on $result"
    ;;
  check)
    if [ -f "$target" ] || [[ "$target" == *.json ]]; then
      result=$target
    else
      # shellcheck disable=SC2012 # names are ours: no spaces, no newlines
      result=$(ls -t "$dir"/results-"$target"-[0-9]*T[0-9]*Z.json 2>/dev/null | head -n 1 || true)
      [ -n "$result" ] || block "no result file of $target in $dir/ (run make perf-$target first)"
    fi
    ;;
esac

[ -f "$result" ] || block "no result file: $result"
decision=0
# shellcheck disable=SC2086 # GATE_ARGS is a list of flags
"$lueng" gate "$result" --min-compliance "$min_compliance" ${GATE_ARGS:-} || decision=$?
case "$decision" in
  0) echo "perf-gate: ALLOW: deployment approved" ;;
  1) echo "perf-gate: ALLOW WITH WARNING: an SLO failed, none critical; review before deploying" ;;
  2) echo "perf-gate: BLOCK: deployment blocked" ;;
  *) block "lueng gate exited $decision" ;;
esac
exit "$decision"
