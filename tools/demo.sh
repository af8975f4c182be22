#!/usr/bin/env bash
# `make demo`: start the hotel mock on loopback, run the smoke scenario against
# it with lueng, stop the mock. Usage: tools/demo.sh BUILD_DIR PORT
set -euo pipefail
build=${1:-build}
port=${2:-18080}
mock="$build/tools/hotel-mock/hotel-mock"
[ -x "$mock" ] || { echo "demo: $mock is not built" >&2; exit 1; }

log=$(mktemp)
"$mock" --listen "127.0.0.1:$port" >"$log" 2>&1 &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null || true; wait $mock_pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do
  grep -q "listening" "$log" && break
  sleep 0.1
done
grep -q "listening" "$log" || { echo "demo: hotel-mock did not start:" >&2; cat "$log" >&2; exit 1; }

mkdir -p .performance
echo "demo: hotel-mock on 127.0.0.1:$port; running scripts/smoke.lua for 15s"
"$build/lueng" run -d 15s -e "BASE_URL=http://127.0.0.1:$port" \
  --summary-export .performance/demo-result.json scripts/smoke.lua
echo "demo: result file written to .performance/demo-result.json"
