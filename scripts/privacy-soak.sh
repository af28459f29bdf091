#!/usr/bin/env bash
# Privacy soak: first the leak fuzzer (tests/e2e/leak_fuzzer.test.mjs: one sensitive value
# hidden in a random position and disguise of a random request, through both fronts,
# against examples/hybrid.yaml; 100,000 cases unless --leak-cases says otherwise, 3,000 in
# CI), then the gateway-level privacy property test (tests/e2e/privacy_property.test.mjs)
# for as long as asked, instead of CI's fixed 10,000 round trips.
#
#   scripts/privacy-soak.sh [--minutes N] [--leak-cases N] [--seed S] [--concurrency C]
#                           [--build-dir DIR]
#
# Each round trip sends a random chat request (cards, IBANs, SSNs, e-mails, phone numbers,
# names, API keys, in every place the inspector scans and in the disguises it normalises)
# through a real gateway to simulated local / private / cloud lanes that record every byte,
# under a random policy (hot-reloaded every 400 round trips) and random lane faults, and
# checks: no value reaches a lane its class forbids or, in any form, a lane that may only see
# it redacted; answers come back with every placeholder restored; every failure reaches the
# client as an error (HTTP error envelope, or one SSE error event and no [DONE]); the serving
# lane is one the class allows. Values the inspector does not detect are counted (by type,
# form and place) and printed, not failed; add LANEWISE_PROPERTY_STRICT=1 to fail on them.
#
# Defaults: 10 minutes, a seed drawn from the clock (printed; rerun one with --seed), the
# ASan build in ./build (build it first: scripts/test.sh, or cmake + ninja lanewise
# lanewise-sim). A failure prints the request ids; LANEWISE_PROPERTY_DUMP=<scenario>:<round>
# with the same seed prints that round trip's policy and request, and
# LANEWISE_PROPERTY_SCENARIO=<n> replays only that scenario.
# Exit status: the test's (0 = no violation).
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=10
leak_cases=100000
seed=$(( $(date +%s) % 4294967296 ))
concurrency=${LANEWISE_PROPERTY_CONCURRENCY:-24}
build_dir=${LANEWISE_BUILD_DIR:-build}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --leak-cases) leak_cases=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "privacy-soak: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if ! [[ $minutes =~ ^[0-9]+([.][0-9]+)?$ ]] || ! [[ $seed =~ ^[0-9]+$ ]]; then
  echo "privacy-soak: --minutes takes a number, --seed a non-negative integer" >&2
  exit 2
fi
for binary in "$build_dir/src/app/lanewise" "$build_dir/tools/sim/lanewise-sim"; do
  if [[ ! -x $binary ]]; then
    echo "privacy-soak: $binary not found; build lanewise and lanewise-sim first" >&2
    exit 2
  fi
done

seconds=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
echo "privacy soak: ${minutes} min, seed ${seed}, concurrency ${concurrency}, build ${build_dir}"
export LANEWISE_BUILD_DIR=$build_dir
export LANEWISE_PROPERTY_SEED=$seed
export LANEWISE_PROPERTY_SECONDS=$seconds
export LANEWISE_PROPERTY_CONCURRENCY=$concurrency
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd tests/e2e
if [[ $leak_cases -gt 0 ]]; then
  echo "leak fuzzer: ${leak_cases} cases, seed ${seed}"
  LANEWISE_LEAK_CASES=$leak_cases LANEWISE_LEAK_SEED=$seed \
    node --test --test-reporter=spec leak_fuzzer.test.mjs
fi
exec node --test --test-reporter=spec privacy_property.test.mjs
