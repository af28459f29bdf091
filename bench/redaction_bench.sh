#!/usr/bin/env bash
# Redaction benchmark through the gateway: the time redaction and restoring add to a
# streamed answer from a cloud lane, first byte and total.
#
# One simulator plays the cloud lane (openai flavour, echo mode: the answer repeats the
# last user message, so a redacted request's answer is full of placeholders to restore,
# streamed as about 20 events at 4,000 tokens/s so that they arrive one by one). The same gateway (examples/hybrid.yaml's policy) is sent,
# alternately on one keep-alive connection:
#   redacted  a confidential request (names, e-mail, phone, client name) -> the cloud
#             sees placeholders, the answer is restored chunk by chunk;
#   plain     a public request: exactly what the cloud saw of the redacted one, with
#             each placeholder replaced by as many x's -> the same answer, no redaction.
# Both are inspected and decided the same way, so the difference is redaction (rewrite +
# fail-closed re-scan) and restoring. Numbers, not a test.
#
#   bench/redaction_bench.sh [requests-per-kind]     (default 400)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-400}
BUILD_DIR=${LANEWISE_BENCH_BUILD_DIR:-build-redact-rel}

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANEWISE_TESTS=OFF \
  -DLANEWISE_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" --target lanewise lanewise-sim bench_redact >/dev/null

work=$(mktemp -d /tmp/lanewise-redaction-bench.XXXXXX)
source bench/processes.sh

SIM_PORT=$(free_port); LOCAL_PORT=$(free_port); GW_PORT=$(free_port)
"$BUILD_DIR/tools/sim/lanewise-sim" --host 127.0.0.1 --port "$SIM_PORT" --flavor openai \
  --model-alias gpt-4o --threads 1 >/dev/null 2>&1 &
pids+=("$!")
"$BUILD_DIR/tools/sim/lanewise-sim" --host 127.0.0.1 --port "$LOCAL_PORT" --flavor llama \
  --threads 1 >/dev/null 2>&1 &
pids+=("$!")
wait_port "$SIM_PORT"; wait_port "$LOCAL_PORT"

sed -e "s#listen: 127.0.0.1:8080#listen: 127.0.0.1:$GW_PORT\n  io_threads: 1#" \
    -e "s#gazetteer_dir: ../data/gazetteers#gazetteer_dir: $PWD/data/gazetteers#" \
  examples/hybrid.yaml > "$work/hybrid.yaml"
LOCAL_LLM_URL=http://127.0.0.1:$LOCAL_PORT/v1 CLOUD_LLM_URL=http://127.0.0.1:$SIM_PORT/v1 \
CLOUD_LLM_API_KEY=bench LANEWISE_REDACTION_KEY=bench-key-0123456789abcdef \
  "$BUILD_DIR/src/app/lanewise" serve --config "$work/hybrid.yaml" >"$work/gateway.log" 2>&1 &
pids+=("$!")
wait_port "$GW_PORT"

python3 - "$GW_PORT" "$N" "$SIM_PORT" <<'PY'
import http.client, json, re, sys, time, urllib.request
port, n, sim_port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
redacted = ("Please draft a reply to Jonathan Whitfield (jon.whitfield@example.com, "
            "+44 20 7946 0958) about the Acme Holdings renewal, and copy Maria Gonzalez.")
conn = http.client.HTTPConnection("127.0.0.1", port)
def once(text):
    body = json.dumps({"model": "premium", "stream": True,
                       "messages": [{"role": "user", "content": text}],
                       "sim": {"mode": "echo", "tokens_per_second": 4000}})
    start = time.perf_counter()
    conn.request("POST", "/v1/chat/completions", body, {"content-type": "application/json"})
    resp = conn.getresponse()
    first = None
    data = b""
    while True:
        chunk = resp.read1(65536)
        if not chunk:
            break
        if first is None:
            first = time.perf_counter()
        data += chunk
    end = time.perf_counter()
    assert resp.status == 200, (resp.status, data[:300])
    assert b"[DONE]" in data
    return (first - start) * 1e3, (end - start) * 1e3, resp.getheader("x-lanewise-data-class"), data
# Check what each kind is before timing it.
_, _, cls, data = once(redacted)
assert cls == "confidential", cls
text = "".join(json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
               for line in data.decode().split("\n") if line.startswith("data: {") and '"choices":[{' in line)
assert "jon.whitfield@example.com" in text and "[EMAIL_ADDRESS_" not in text, text
# The plain request is what the cloud saw of the redacted one, with every placeholder
# replaced by as many x's: the same answer length and chunking, and nothing to redact.
seen = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sim_port}/__sim/requests"))
cloud_saw = json.loads(seen[-1]["body"])["messages"][-1]["content"]
plain = re.sub(r"\[[A-Z_]+_[0-9a-f]{8}\]", lambda m: "x" * len(m.group()), cloud_saw)
assert "[" not in plain, plain
_, _, cls, _ = once(plain)
assert cls == "public", cls
for _ in range(50):
    once(redacted); once(plain)
res = {"redacted": ([], []), "plain": ([], [])}
for _ in range(n):
    for kind, text in (("redacted", redacted), ("plain", plain)):
        f, t, _, _ = once(text)
        res[kind][0].append(f); res[kind][1].append(t)
def q(v, p): v = sorted(v); return v[min(len(v) - 1, int(p * len(v)))]
print(f"{n} streamed requests of each kind, alternating, one keep-alive connection")
print(f"{'kind':10} {'first byte p50':>15} {'p99':>8} {'total p50':>10} {'p99':>8}   (ms)")
for kind in ("plain", "redacted"):
    f, t = res[kind]
    print(f"{kind:10} {q(f,.5):15.3f} {q(f,.99):8.3f} {q(t,.5):10.3f} {q(t,.99):8.3f}")
df = q(res['redacted'][0], .5) - q(res['plain'][0], .5)
dt = q(res['redacted'][1], .5) - q(res['plain'][1], .5)
print(f"added by redaction + restore: first byte {df*1000:+.0f} us, total {dt*1000:+.0f} us (p50)")
PY
echo
echo "Micro-benchmarks (one core, no network):"
"$BUILD_DIR/bench/bench_redact" --benchmark_min_time=0.5 2>/dev/null | grep -E "^BM_|^Benchmark"
