#!/usr/bin/env bash
# Installs every Debian package lueng needs to build, test and run its demo.
# Idempotent: packages already present are skipped, apt-get runs only when needed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libluajit2-5.1-dev libuv1-dev node-llhttp libssl-dev zlib1g-dev
  libcli11-dev libfmt-dev rapidjson-dev libcsv-dev catch2
  python3 python3-yaml clang-format curl openssl luarocks
  chromium
  # The integration tests read lueng's reports with other tools' own readers:
  # junitparser for JUnit XML, Locust for its CSV columns.
  python3-junitparser python3-locust
  # make fuzz: clang 14 and its runtime libraries (libFuzzer, ASan, UBSan), which
  # clang only recommends.
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "install-deps: all ${#packages[@]} packages present"; exit 0; }

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
