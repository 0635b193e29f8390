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

# the release build, profile-guided with GCC (CS_PGO=0 make build: without)
build: deps-build
	@JOBS=$(JOBS) scripts/build-release.sh

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
