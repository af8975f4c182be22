#!/usr/bin/env bash
# `make demo`: start the hotel mock on loopback, run the smoke scenario against
# it with lueng, stop the mock. Usage: tools/demo.sh BUILD_DIR PORT
# When PORT is taken, the next free one of the 20 after it is used.
set -euo pipefail
build=${1:-build}
first_port=${2:-18080}
mock="$build/tools/hotel-mock/hotel-mock"
[ -x "$mock" ] || { echo "demo: $mock is not built" >&2; exit 1; }

log=$(mktemp)
mock_pid=
trap '[ -n "$mock_pid" ] && { kill $mock_pid 2>/dev/null || true; wait $mock_pid 2>/dev/null || true; }; rm -f "$log"' EXIT
port=
for candidate in $(seq "$first_port" $((first_port + 20))); do
  "$mock" --listen "127.0.0.1:$candidate" >"$log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 50); do
    grep -q "listening" "$log" && break
    kill -0 "$mock_pid" 2>/dev/null || break
    sleep 0.1
  done
  if grep -q "listening" "$log"; then
    port=$candidate
    break
  fi
  wait "$mock_pid" 2>/dev/null || true
  mock_pid=
  [ "$candidate" = "$first_port" ] && echo "demo: port $candidate is taken ($(head -n 1 "$log")); trying the next ones" >&2
done
[ -n "$port" ] || { echo "demo: hotel-mock did not start on ports $first_port to $((first_port + 20)):" >&2; cat "$log" >&2; exit 1; }

mkdir -p .performance
echo "demo: hotel-mock on 127.0.0.1:$port; running scripts/smoke.lua for 15s"
"$build/lueng" run -d 15s -e "BASE_URL=http://127.0.0.1:$port" \
  --summary-export .performance/demo-result.json scripts/smoke.lua
echo "demo: result file written to .performance/demo-result.json"
