#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-15, ASan + UBSan, build dir build-fuzz) and runs each
# one: `--minutes N` for long runs, `--seconds N` for the short bounded run that
# scripts/test.sh does (default: 5 seconds each). Seeds come from tests/fuzz/corpus/, the
# wire captures of a real llama.cpp server (../shared/wire/llama-server/) and the examples;
# the growing corpus lives in build-fuzz/corpus/<target>. Prints executions per target and
# exits non-zero when a target found a crash (its input is in build-fuzz/artifacts/<target>/).
#   scripts/fuzz.sh [--minutes N | --seconds N] [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_EACH=5
TARGETS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) SECONDS_EACH=$(( $2 * 60 )); shift 2 ;;
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
ALL=(fuzz_http_server fuzz_openai_request fuzz_anthropic_request fuzz_sse_parser
     fuzz_config_loader fuzz_stream_restorer)
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")

BUILD=${LANEWISE_FUZZ_BUILD_DIR:-build-fuzz}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-/work}
CC=clang-15 CXX=clang++-15 cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLANEWISE_FUZZ=ON -DLANEWISE_TESTS=OFF -DLANEWISE_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target "${TARGETS[@]}"

# Seeds: checked-in ones, plus what the wire captures and examples give.
WIRE="$ROOT/../shared/wire/llama-server"
seed() {  # seed TARGET NAME < content
  mkdir -p "$BUILD/corpus/$1"
  cat > "$BUILD/corpus/$1/$2"
}
for t in "${ALL[@]}"; do
  mkdir -p "$BUILD/corpus/$t" "$BUILD/artifacts/$t"
  [ -d "tests/fuzz/corpus/$t" ] && cp -n tests/fuzz/corpus/$t/* "$BUILD/corpus/$t/" 2>/dev/null || true
done
if [ -d "$WIRE" ]; then
  for f in "$WIRE"/*.request.json; do
    name=$(basename "$f" .request.json)
    seed fuzz_openai_request "$name" < "$f"
    seed fuzz_anthropic_request "$name" < "$f"
    { printf 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
      printf 'Content-Length: %d\r\n\r\n' "$(wc -c < "$f")"; cat "$f"; } | seed fuzz_http_server "$name"
  done
  for f in "$WIRE"/*.http; do
    name=$(basename "$f" .http)
    # The body after the header block: SSE streams for the parser, JSON for the translator.
    awk 'body{print} /^\r?$/{body=1}' "$f" | seed fuzz_sse_parser "$name"
    awk 'body{print} /^\r?$/{body=1}' "$f" | seed fuzz_anthropic_request "answer_$name"
  done
fi
for f in examples/*.yaml tests/fuzz/corpus/fuzz_config_loader/*; do
  [ -f "$f" ] && seed fuzz_config_loader "$(basename "$f")" < "$f"
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
printf '%-24s %10s %12s %8s %s\n' target seconds executions exec/s result
for t in "${TARGETS[@]}"; do
  log="$BUILD/artifacts/$t/last-run.log"
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  if "$BUILD/tests/fuzz/$t" "$BUILD/corpus/$t" "${dict[@]}" -max_total_time="$SECONDS_EACH" \
       -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$BUILD/artifacts/$t/" > "$log" 2>&1; then
    result=ok
  else
    result="CRASH (see $log)"
    status=1
  fi
  execs=$(grep -h 'stat::number_of_executed_units' "$log" | awk '{s+=$2} END{print s+0}')
  rate=$(( execs / (SECONDS_EACH > 0 ? SECONDS_EACH : 1) ))
  printf '%-24s %10s %12s %8s %s\n' "$t" "$SECONDS_EACH" "$execs" "$rate" "$result"
done
exit $status
