# The two set-up commands of the README: `make demo` and `make test`.
# Each installs the Debian packages it needs first, so a fresh machine needs nothing else.

BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
JOBS       ?= $(shell nproc)
DEMO_PORT  ?= 18080
CMAKE_GEN  := -G Ninja

.PHONY: all deps build test test-asan test-tsan demo bench format format-check clean

all: build

deps:
	@tools/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Same tests on an AddressSanitizer + UndefinedBehaviorSanitizer build.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DLUENG_SANITIZE=address,undefined
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# Same tests on a ThreadSanitizer build (workers and the main thread share metrics hand-offs).
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DLUENG_SANITIZE=thread
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# Builds lueng and the hotel mock, starts the mock on loopback, runs the smoke
# scenario against it and stops the mock again.
demo: build
	@tools/demo.sh $(BUILD) $(DEMO_PORT)

# lueng against wrk, ab, hey, autocannon and Locust on one nginx (docs/performance.md).
# Installs its own extra packages; BENCH_ARGS passes options, e.g. BENCH_ARGS="throughput --rounds 5".
bench: build
	tools/bench/install.sh
	python3 tools/bench/bench.py --build $(BUILD) $(BENCH_ARGS)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

format-check: deps
	clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
