#!/usr/bin/env bash
# Command 2: builds the test build (ASan + UBSan) and runs the whole suite with CTest:
# unit and property tests (GoogleTest), integration and end-to-end tests (node:test with the
# official openai and @anthropic-ai/sdk clients against the real binaries), then every
# libFuzzer target for a few seconds (scripts/fuzz.sh; LANEWISE_FUZZ_SECONDS, 0 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
BUILD_DIR=${LANEWISE_TEST_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLANEWISE_SANITIZE=ON \
  -DLANEWISE_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 600 "$@"
FUZZ_SECONDS=${LANEWISE_FUZZ_SECONDS:-4}
if [ "$FUZZ_SECONDS" -gt 0 ] && [ $# -eq 0 ]; then
  ./scripts/fuzz.sh --seconds "$FUZZ_SECONDS"
fi
