#!/usr/bin/env bash
# Installs what tools/bench needs besides lueng's own build dependencies: the
# target server, the other load generators and the profilers. Not needed for
# `make test`. Idempotent: present packages are skipped, npm runs only once.
#   LUENG_BENCH_NPM  where autocannon is installed (default ~/.cache/lueng-bench/npm)
set -euo pipefail

packages=(
  nginx-light wrk apache2-utils hey python3-locust hyperfine
  valgrind linux-perf util-linux time
)
# nodesource's nodejs ships npm itself (and conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench install: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "bench install: all ${#packages[@]} packages present"
fi

npm_prefix="${LUENG_BENCH_NPM:-$HOME/.cache/lueng-bench/npm}"
if [ ! -x "$npm_prefix/node_modules/.bin/autocannon" ]; then
  echo "bench install: npm install autocannon into $npm_prefix"
  mkdir -p "$npm_prefix"
  npm install --silent --no-audit --no-fund --prefix "$npm_prefix" autocannon@9 >/dev/null
fi
echo "bench install: autocannon at $npm_prefix/node_modules/.bin/autocannon"
