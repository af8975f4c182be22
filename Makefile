# The two set-up commands of the README: `make demo` and `make test`.
# Each installs the Debian packages it needs first, so a fresh machine needs nothing else.

BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
DEMO_PORT  ?= 18080
PREFIX     ?= /usr/local
DEPS_FLAGS ?=
# More CMake options for `make build`, e.g. -DLUENG_TESTS=OFF (the container image).
CMAKE_FLAGS ?=
CMAKE_GEN  := -G Ninja
# make fuzz: seconds each libFuzzer target runs (FUZZ_TARGETS: which, default all).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
# The perf-* targets: the target system and extra `lueng run` flags
# (e.g. PERF_ARGS="-e TIME_SCALE=0.01 -e WHATSAPP_SECRET=..."). Results go to .performance/.
# HEALTH_PATH: what perf-health (and the scenarios' health checks) ask for.
# SCENARIO: what perf-gate runs (or, with GATE_RESULT=FILE, which file it reads).
BASE_URL   ?= http://127.0.0.1:8000
PERF_ARGS  ?=
HEALTH_PATH ?=
SCENARIO   ?= load
GATE_RESULT ?=
PERF_ENV   := LUENG=$(BUILD)/lueng BASE_URL=$(BASE_URL) PERF_ARGS="$(PERF_ARGS)" HEALTH_PATH="$(HEALTH_PATH)"
PERF       := $(PERF_ENV) tools/perf.sh

.PHONY: all deps build install test test-asan test-tsan test-sanitizers demo bench format format-check clean
.PHONY: fuzz-build fuzz fuzz-replay fuzz-ci
.PHONY: perf-smoke perf-load perf-stress perf-spike perf-soak perf-validate perf-baseline perf-clean
.PHONY: perf-compare perf-report perf-health perf-gate lueng-build

all: build

# DEPS_FLAGS=--build installs only what compiling takes (the container image's build).
deps:
	@tools/install-deps.sh $(DEPS_FLAGS)

# The built binary, lib/lua and scripts/ under PREFIX (relocatable: docs/distributed.md).
install:
	cmake --install $(BUILD) --prefix $(PREFIX)

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DLUENG_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Same tests on an AddressSanitizer + UndefinedBehaviorSanitizer build. The integration
# tests fail on any sanitizer report in a child's stderr (tests/integration/support.py).
# GCC's "undefined" leaves out float-cast-overflow (a double too large for its integer),
# real undefined behaviour for numbers that come from scripts, servers and files.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DLUENG_WERROR=ON \
	  -DLUENG_SANITIZE=address,undefined,float-cast-overflow
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# Same tests on a ThreadSanitizer build (workers and the main thread share metrics hand-offs).
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DLUENG_WERROR=ON -DLUENG_SANITIZE=thread \
	  -DLUENG_TEST_TIMEOUT=900
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ctest --output-on-failure -j $(JOBS)

# Both sanitizer suites, one after the other (each build uses every core).
test-sanitizers:
	$(MAKE) test-asan
	$(MAKE) test-tsan

# The libFuzzer targets of tests/fuzz (docs/fuzzing.md), built with clang, ASan and
# UBSan in their own build directory; each links only the sources it fuzzes.
fuzz-build: deps
	cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DLUENG_WERROR=ON -DLUENG_FUZZ=ON \
	  -DLUENG_TESTS=OFF -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz

# Every input of the seed corpora once (everything the fuzzers ever found), then
# each target fuzzed for FUZZ_SECONDS.
fuzz-replay: fuzz-build
	tests/fuzz/run.sh $(FUZZ_BUILD) replay $(FUZZ_TARGETS)

fuzz: fuzz-replay
	FUZZ_JOBS=$(JOBS) tests/fuzz/run.sh $(FUZZ_BUILD) fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# CI's share (.ci/run): the build, the replay and 20 s of each target, one per core at a time.
fuzz-ci:
	$(MAKE) fuzz FUZZ_SECONDS=20

# Builds lueng and the hotel mock, starts the mock on loopback, runs the smoke
# scenario against it and stops the mock again.
demo: lueng-build
	@tools/demo.sh $(BUILD) $(DEMO_PORT)

# lueng against wrk, ab, hey, autocannon and Locust on one nginx (docs/performance.md).
# Installs its own extra packages; BENCH_ARGS passes options, e.g. BENCH_ARGS="throughput --rounds 5".
bench: build
	tools/bench/install.sh
	python3 tools/bench/bench.py --build $(BUILD) $(BENCH_ARGS)

# The five scenarios of scripts/ against $(BASE_URL) (docs/hotel-library.md); each
# writes in .performance/ results-<scenario>-<UTC stamp>.json (the result file),
# summary-<...>.txt and .html, results-<...>.md (and results-<scenario>-latest.md)
# and junit-<...>.xml, and prints where they are.
perf-smoke perf-load perf-stress perf-spike perf-soak: lueng-build
	@$(PERF) run $(@:perf-%=%)

# The Locust suite's scenarios: perf-locust-baseline, -peak, -stress, -endurance, -burst.
perf-locust-%: lueng-build
	@$(PERF) run locust-$*

# Re-evaluates the SLOs of the newest result file with `lueng validate`.
perf-validate: lueng-build
	@$(PERF) validate

# Runs smoke and load and keeps each result as .performance/baseline-<scenario>.json
# (with baseline-report.md).
perf-baseline: lueng-build
	@$(PERF) baseline smoke load

# The newest run of each scenario against its baseline; exit 1 on a regression.
perf-compare: lueng-build
	@$(PERF) compare

# Renders the HTML, Markdown and JUnit reports of the newest run again.
perf-report: lueng-build
	@$(PERF) report

# Is $(BASE_URL)$(HEALTH_PATH) answering 200 (waiting up to HEALTH_WAIT s, default 30)?
perf-health:
	@$(PERF) health

# The pre-deployment gate (tools/perf-gate.sh): runs $(SCENARIO) (or reads GATE_RESULT)
# and exits 0 allow, 1 allow with a warning, 2 block.
perf-gate: lueng-build
	@$(PERF_ENV) tools/perf-gate.sh $(if $(GATE_RESULT),check $(GATE_RESULT),run $(SCENARIO))

# Only lueng and the hotel mock, not the test suite.
lueng-build: deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS) --target lueng hotel-mock

perf-clean:
	rm -rf .performance

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

format-check: deps
	clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
