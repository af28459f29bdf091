#!/usr/bin/env bash
# Proxy benchmark: the same load against the upstream simulator directly, behind nginx
# proxy_pass (keep-alive upstream), and behind Lanewise, in one run on this machine.
#
# For each target and response shape (a ~600-byte completion, a 20-event stream sent at
# once, the same stream paced at an event every 50 µs) it prints
# p50/p99 latency at one connection (the three paths take turns over several rounds), the
# latency each proxy adds over direct, requests/s at saturation, and the proxy process's
# CPU time per request (user+system, from /proc). Requests are 1.5 KB chat requests.
# Numbers, not a test: nothing here fails on timing.
#
#   bench/proxy_bench.sh [seconds-per-saturation-run]      (default 5)
#   BENCH_ROUNDS=5 BENCH_LATENCY_SECONDS=2 BENCH_CONNECTIONS=32 (the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
BUILD_DIR=${LANEWISE_BENCH_BUILD_DIR:-build-release}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-5}                   # interleaved 1-connection latency rounds
LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-2}  # length of each of those runs

./scripts/install-deps.sh >/dev/null
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANEWISE_TESTS=OFF \
  -DLANEWISE_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" --target lanewise lanewise-sim >/dev/null

work=$(mktemp -d /tmp/lanewise-bench.XXXXXX)
source bench/processes.sh

SIM_PORT=$(free_port); NGINX_PORT=$(free_port); GW_PORT=$(free_port)

# The upstream: OpenAI-flavoured simulator; answer length chosen so the non-streamed body
# is about 600 bytes and the stream has 20 SSE events (role + 17 content + finish + [DONE]).
"$BUILD_DIR/tools/sim/lanewise-sim" --host 127.0.0.1 --port "$SIM_PORT" --flavor openai \
  --model-alias bench-model --threads 1 >/dev/null 2>&1 &
pids+=("$!"); SIM_PID=$!
wait_port "$SIM_PORT"

mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log $work/nginx/logs/access.log;
  upstream sim { server 127.0.0.1:$SIM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    client_max_body_size 1m;
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
pids+=("$!"); NGINX_MASTER=$!
wait_port "$NGINX_PORT"

# The config sits in a folder of its own: Lanewise watches the config's folder for edits,
# and a log file written beside it would wake that watcher on every request line.
mkdir -p "$work/config"
cat > "$work/config/lanewise.yaml" <<YAML
server:
  listen: 127.0.0.1:$GW_PORT
  io_threads: 1
lanes:
  - name: local
    kind: local
    provider: openai-compatible
    base_url: http://127.0.0.1:$SIM_PORT/v1
    max_idle_connections: 64
    models:
      - alias: bench-model
        upstream: bench-model
YAML
"$BUILD_DIR/src/app/lanewise" serve --config "$work/config/lanewise.yaml" >/dev/null 2>"$work/lanewise.log" &
pids+=("$!"); GW_PID=$!
wait_port "$GW_PORT"

# A 1.5 KB chat request (system prompt + a user turn), as a wrk script.
make_script() {  # file stream(true|false) tokens [tokens-per-second]
  python3 - "$1" "$2" "$3" "${4:-0}" <<'PY'
import json, sys
path, stream, tokens, rate = sys.argv[1], sys.argv[2] == "true", int(sys.argv[3]), float(sys.argv[4])
sim = {"tokens": tokens}
if rate > 0:
    sim["tokens_per_second"] = rate
filler = ("Summarise the following maintenance log for the on-call engineer, keeping "
          "timestamps and component names. ") * 12
body = {"model": "bench-model",
        "messages": [{"role": "system", "content": "You are a concise assistant for an operations team."},
                     {"role": "user", "content": filler}],
        "max_tokens": 256, "temperature": 0.2, "stream": stream, "sim": sim}
text = json.dumps(body)
pad = 1536 - len(text)
if pad > 0:
    body["messages"][1]["content"] += " " * pad
    text = json.dumps(body)
with open(path, "w") as f:
    f.write('wrk.method = "POST"\n')
    f.write('wrk.headers["Content-Type"] = "application/json"\n')
    f.write("wrk.body = %s\n" % json.dumps(text))
PY
}
make_script "$work/complete.lua" false 22
make_script "$work/stream.lua" true 17
# The same stream paced as a model would send it (an event every 50 µs): each event is
# relayed on its own instead of several arriving in one read.
make_script "$work/paced.lua" true 17 20000
SHAPES="complete stream paced"

cpu_ticks() {  # pids... -> utime+stime in clock ticks
  local total=0
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    local fields; fields=$(sed 's/^.*) //' "/proc/$p/stat")
    set -- $fields
    total=$((total + ${12} + ${13}))
  done
  echo "$total"
}
nginx_pids() { echo "$NGINX_MASTER $(pgrep -P "$NGINX_MASTER" | tr '\n' ' ')"; }

TICK=$(getconf CLK_TCK)
run_wrk() {  # connections script url -> wrk output
  wrk -t1 -c"$1" -d"${SECONDS_PER_RUN}s" --latency -s "$2" "$3" 2>&1
}
latency_ms() {  # wrk-output percentile
  awk -v p="$2" '$1 == p {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}' <<<"$1"
}
requests_of() { awk '/requests in/ {print $1}' <<<"$1"; }
rps_of() { awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$1"; }

# Sanity: show what one request/response looks like through each path.
body_bytes=$(curl -s -o /dev/null -w '%{size_download}' -H 'content-type: application/json' \
  -d '{"model":"bench-model","messages":[{"role":"user","content":"x"}],"sim":{"tokens":22}}' \
  "http://127.0.0.1:$SIM_PORT/v1/chat/completions")
stream_events=$(curl -sN -H 'content-type: application/json' \
  -d '{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"x"}],"sim":{"tokens":17}}' \
  "http://127.0.0.1:$GW_PORT/v1/chat/completions" | grep -c '^data:')
echo "completion body: $body_bytes bytes; stream: $stream_events SSE events; latency: $ROUNDS interleaved rounds of ${LATENCY_SECONDS}s at 1 connection; saturation: ${SECONDS_PER_RUN}s at $CONNECTIONS connections"
echo

url_of() {
  case $1 in
    direct) echo "http://127.0.0.1:$SIM_PORT/v1/chat/completions" ;;
    nginx) echo "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" ;;
    lanewise) echo "http://127.0.0.1:$GW_PORT/v1/chat/completions" ;;
  esac
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%.3f", m}'; }

# Latency at one connection: the three paths take turns, ROUNDS times, so that a slower
# minute on this shared machine hits all three alike. Each path's p50/p99 is the median
# over rounds; its added latency is the median over rounds of (its p50 - direct's p50 in
# the same round).
declare -A p50 p99 added sat_rps cpu
for shape in $SHAPES; do
  for round in $(seq 1 "$ROUNDS"); do
    declare -A this_round=()
    for path in direct nginx lanewise; do
      one=$(wrk -t1 -c1 -d"${LATENCY_SECONDS}s" --latency -s "$work/$shape.lua" "$(url_of $path)" 2>&1)
      this_round[$path]=$(latency_ms "$one" 50%)
      p50[$shape.$path]+="${this_round[$path]} "
      p99[$shape.$path]+="$(latency_ms "$one" 99%) "
    done
    for path in nginx lanewise; do
      added[$shape.$path]+="$(awk -v a="${this_round[$path]}" -v d="${this_round[direct]}" 'BEGIN {printf "%.4f", a - d}') "
    done
  done
  # Saturation, and the proxy's CPU time per request during it.
  for path in direct nginx lanewise; do
    case $path in
      direct) cpu_pids="" ;;
      nginx) cpu_pids=$(nginx_pids) ;;
      lanewise) cpu_pids=$GW_PID ;;
    esac
    before=$( [ -n "$cpu_pids" ] && cpu_ticks $cpu_pids || echo 0)
    out=$(run_wrk "$CONNECTIONS" "$work/$shape.lua" "$(url_of $path)")
    after=$( [ -n "$cpu_pids" ] && cpu_ticks $cpu_pids || echo 0)
    n=$(requests_of "$out")
    sat_rps[$shape.$path]=$(rps_of "$out")
    if [ -n "$cpu_pids" ] && [ "${n:-0}" -gt 0 ]; then
      cpu[$shape.$path]=$(awk -v t=$((after - before)) -v hz="$TICK" -v n="$n" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
    else
      cpu[$shape.$path]="-"
    fi
  done
done

printf '| shape | path | p50 ms (1 conn) | p99 ms (1 conn) | added p50 ms | req/s (%d conn) | proxy CPU µs/req |\n' "$CONNECTIONS"
printf '|---|---|---|---|---|---|---|\n'
for shape in $SHAPES; do
  for path in direct nginx lanewise; do
    add="-"
    [ "$path" != direct ] && add=$(median <<<"${added[$shape.$path]}")
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$shape" "$path" "$(median <<<"${p50[$shape.$path]}")" \
      "$(median <<<"${p99[$shape.$path]}")" "$add" "${sat_rps[$shape.$path]}" "${cpu[$shape.$path]}"
  done
done
echo
echo "Against the target (Lanewise / nginx, each at most 2):"
for shape in $SHAPES; do
  lw_add=$(median <<<"${added[$shape.lanewise]}"); ng_add=$(median <<<"${added[$shape.nginx]}")
  awk -v s="$shape" -v lc="${cpu[$shape.lanewise]}" -v nc="${cpu[$shape.nginx]}" -v la="$lw_add" -v na="$ng_add" 'BEGIN {
    printf "  %-8s CPU per request %.2fx   added p50 %.3f vs %.3f ms = %s\n", s, lc / nc, la, na,
      (na > 0.001 ? sprintf("%.2fx", la / na) : "n/a (nginx adds nothing measurable)") }'
done
echo "  per-round added p50, ms:"
for shape in $SHAPES; do
  echo "    $shape: lanewise ${added[$shape.lanewise]}/ nginx ${added[$shape.nginx]}"
done
errors=$(grep -c '"status":5' "$work/lanewise.log" || true)
echo
echo "lanewise 5xx responses during the run: $errors"
