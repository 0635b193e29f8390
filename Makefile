# Thin wrapper over the CMake presets: the commands a new user needs.
#   make demo   audit the bundled healthcare deployment
#   make test   build with ASan+UBSan and run every test
#   make bench  release build, print benchmark figures
#   make fuzz   run every libFuzzer harness (FUZZ_SECONDS each, default 60)
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build demo test bench fuzz man clean deps-build

all: build

deps-build:
	@scripts/deps.sh build

build: deps-build
	@mkdir -p build
	@cmake --preset release >build/release-configure.log 2>&1 || { cat build/release-configure.log; exit 1; }
	@cmake --build --preset release -j $(JOBS) >build/release-build.log 2>&1 || { cat build/release-build.log; exit 1; }

demo: build
	@scripts/demo.sh build/release/cshare

test:
	@scripts/deps.sh test
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)

bench: build
	@scripts/deps.sh bench
	@cmake --build --preset release --target benches -j $(JOBS)
	@bench/run.sh build/release

fuzz:
	@scripts/deps.sh fuzz
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@scripts/fuzz.sh build/fuzz $(FUZZ_SECONDS)

man:
	@scripts/gen-man.sh docs/cli build/man

clean:
	rm -rf build
