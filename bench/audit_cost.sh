#!/usr/bin/env bash
# What the SQLite audit store costs the gateway: the same saturation load (wrk, 32
# connections, ~600-byte completions of 1.5 KB requests) against Lanewise processes that
# differ only in server.audit, taking turns for a few rounds:
#   off   no audit store
#   on    the SQLite store as configured by default (journal, no wait for the commit)
#   wait  the same with wait_for_commit: all (every request waits for its open record's
#         commit before its first attempt: the evidence branch's original behaviour)
# Prints the gateway process's CPU time per request (all its threads, the audit writer
# included), requests/s, and the store's cost relative to `off`. Numbers, not a test.
#
#   bench/audit_cost.sh [seconds-per-run] [rounds]      (defaults 5 and 3)
#   MODES="off on" bench/audit_cost.sh                  (a subset)
#   LANEWISE_BENCH_BASE_DIR=/other/build-rel bench/audit_cost.sh
#       also runs that build's `off` and `on` (modes base-off, base-on) in the same turns,
#       so that two builds are compared under the same machine load (not built here)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
ROUNDS=${2:-3}
MODES=${MODES:-off on wait}
BUILD_DIR=${LANEWISE_BENCH_BUILD_DIR:-build-rel}
BASE_DIR=${LANEWISE_BENCH_BASE_DIR:-}
[ -n "$BASE_DIR" ] && MODES="$MODES base-off base-on"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANEWISE_TESTS=OFF \
  -DLANEWISE_BENCH=ON >/dev/null
nice -n 5 cmake --build "$BUILD_DIR" -j2 --target lanewise lanewise-sim >/dev/null

work=$(mktemp -d /tmp/lanewise-audit-cost.XXXXXX)
source bench/processes.sh
SIM_PORT=$(free_port)
"$BUILD_DIR/tools/sim/lanewise-sim" --host 127.0.0.1 --port "$SIM_PORT" --flavor openai \
  --model-alias bench-model --threads 1 >/dev/null 2>&1 &
pids+=("$!")
wait_port "$SIM_PORT"

declare -A PORT PID
for mode in $MODES; do
  PORT[$mode]=$(free_port)
  mkdir -p "$work/$mode"
  audit=""
  [ "$mode" = on ] || [ "$mode" = base-on ] && audit="  audit: { sqlite: $work/$mode/audit.db }"
  [ "$mode" = wait ] && audit="  audit: { sqlite: $work/$mode/audit.db, wait_for_commit: all }"
  cat > "$work/$mode/lanewise.yaml" <<YAML
server:
  listen: 127.0.0.1:${PORT[$mode]}
  io_threads: 1
$audit
lanes:
  - name: local
    kind: local
    provider: openai-compatible
    base_url: http://127.0.0.1:$SIM_PORT/v1
    max_idle_connections: 64
    models:
      - { alias: bench-model, upstream: bench-model }
YAML
  binary="$BUILD_DIR/src/app/lanewise"
  [ "${mode#base-}" != "$mode" ] && binary="$BASE_DIR/src/app/lanewise"
  "$binary" serve --config "$work/$mode/lanewise.yaml" >/dev/null 2>"$work/$mode.log" &
  pids+=("$!"); PID[$mode]=$!
  wait_port "${PORT[$mode]}"
done

python3 - "$work/complete.lua" <<'PY'
import json, sys
filler = ("Summarise the following maintenance log for the on-call engineer, keeping "
          "timestamps and component names. ") * 12
body = {"model": "bench-model", "max_tokens": 256, "temperature": 0.2, "sim": {"tokens": 22},
        "messages": [{"role": "system", "content": "You are a concise assistant for an operations team."},
                     {"role": "user", "content": filler}]}
text = json.dumps(body)
body["messages"][1]["content"] += " " * max(0, 1536 - len(text))
with open(sys.argv[1], "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
    f.write("wrk.body = %s\n" % json.dumps(json.dumps(body)))
PY

ticks() { local f; f=$(sed 's/^.*) //' "/proc/$1/stat"); set -- $f; echo $((${12} + ${13})); }
TICK=$(getconf CLK_TCK)
declare -A cpu rps
declare -A total_ticks total_n
for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    before=$(ticks "${PID[$mode]}")
    out=$(wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" -s "$work/complete.lua" \
      "http://127.0.0.1:${PORT[$mode]}/v1/chat/completions" 2>&1)
    after=$(ticks "${PID[$mode]}")
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    total_ticks[$mode]=$(( ${total_ticks[$mode]:-0} + after - before ))
    total_n[$mode]=$(( ${total_n[$mode]:-0} + n ))
    cpu[$mode]+="$(awk -v t=$((after - before)) -v hz="$TICK" -v n="$n" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}') "
    rps[$mode]+="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out") "
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
for mode in $MODES; do
  [ "${mode%off}" != "$mode" ] && continue
  records=$("$BUILD_DIR/src/app/lanewise" audit query --db "$work/$mode/audit.db" --format csv | wc -l)
  echo "audit store ($mode): $((records - 1)) records written"
done
declare -A mean
for mode in $MODES; do
  mean[$mode]=$(awk -v t="${total_ticks[$mode]}" -v hz="$TICK" -v n="${total_n[$mode]}" \
    'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  echo "store $mode: CPU us/request per round: ${cpu[$mode]}| all rounds: ${mean[$mode]} | req/s: ${rps[$mode]}"
done
if [ -n "${mean[off]:-}" ]; then
  for mode in $MODES; do
    [ "${mode%off}" != "$mode" ] && continue
    off=off
    [ "${mode#base-}" != "$mode" ] && off=base-off
    awk -v on="${mean[$mode]}" -v off="${mean[$off]}" -v m="$mode" -v o="$off" \
      'BEGIN {printf "store %s adds %.1f us/request (%+.1f%% CPU per request, against %s)\n", m, on - off, (on / off - 1) * 100, o}'
  done
fi
