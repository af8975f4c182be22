#!/usr/bin/env bash
# Installs the Debian packages lueng needs. Idempotent: packages already present are
# skipped, apt-get runs only when needed. Usage:
#   tools/install-deps.sh              everything: build, test, benchmark baselines, demo
#   tools/install-deps.sh --build      what compiling lueng takes, nothing more
#   tools/install-deps.sh --runtime    the shared libraries the built binary loads
#                                      (the container image's second stage)
#   tools/install-deps.sh --list GROUP print a group's packages (all, build, runtime)
set -euo pipefail

# The libraries `lueng` is linked against, by their runtime package names. A test
# (tests/integration/test_distributed.py) checks that every shared library the built
# binary needs comes from one of these.
runtime=(
  libluajit2-5.1-2 libuv1 libssl3 zlib1g libfmt9 libcsv3 libstdc++6
  libprotobuf-lite32 libsnappy1v5
)
build=(
  build-essential cmake pkg-config ninja-build
  libluajit2-5.1-dev libuv1-dev node-llhttp libssl-dev zlib1g-dev
  libcli11-dev libfmt-dev rapidjson-dev libcsv-dev
  libprotobuf-dev protobuf-compiler libsnappy-dev
)
all=(
  "${build[@]}" catch2
  python3 python3-yaml clang-format curl openssl luarocks
  chromium
  # The integration tests read lueng's reports with other tools' own readers:
  # junitparser for JUnit XML, Locust for its CSV columns.
  python3-junitparser python3-locust
  # --out prometheus-rw, the dashboard's queries and the alert rules are tested
  # against a real Prometheus and with promtool.
  prometheus
  # make fuzz: clang 14 and its runtime libraries (libFuzzer, ASan, UBSan), which
  # clang only recommends.
  clang libclang-rt-14-dev
)

group=all
case "${1:-}" in
  "") ;;
  --build) group=build ;;
  --runtime) group=runtime ;;
  --list)
    case "${2:-}" in
      all | build | runtime) group=$2 ;;
      *) echo "install-deps: --list takes all, build or runtime" >&2; exit 2 ;;
    esac
    declare -n listed=$group
    printf '%s\n' "${listed[@]}"
    exit 0
    ;;
  *) echo "install-deps: unknown option '$1' (use --build, --runtime or --list GROUP)" >&2; exit 2 ;;
esac
declare -n packages=$group

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "install-deps: all ${#packages[@]} $group packages present"; exit 0; }

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
