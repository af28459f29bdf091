#!/usr/bin/env bash
# Memory of many open streams: Lanewise's resident set (VmRSS) when idle, then while N
# streamed completions are open at once (each has had its first event and is still
# running: the simulator sends one token per second, for ten minutes). Issue 14's target: idle <= 30 MB,
# 10,000 open streams <= 200 MB.
#
#   bench/open_streams.sh [streams] [policy]     (defaults 10000 and none; policy: hybrid
#                                                 = examples/hybrid.yaml's policy)
#
# Each stream holds two of the gateway's file descriptors (client and lane). When the
# process's descriptor limit (ulimit -n) cannot hold 2 x streams, the run stops at what it
# can hold and the figure for the requested count is extrapolated from the measured points
# (resident set is linear in open streams); the output says so.
set -euo pipefail
cd "$(dirname "$0")/.."
STREAMS=${1:-10000}
POLICY=${2:-none}
BUILD_DIR=${LANEWISE_BENCH_BUILD_DIR:-build-rel}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANEWISE_TESTS=OFF \
  -DLANEWISE_BENCH=ON >/dev/null
nice -n 5 cmake --build "$BUILD_DIR" -j2 --target lanewise lanewise-sim >/dev/null

work=$(mktemp -d /tmp/lanewise-open-streams.XXXXXX)
source bench/processes.sh
SIM_PORT=$(free_port)
GW_PORT=$(free_port)
"$BUILD_DIR/tools/sim/lanewise-sim" --host 127.0.0.1 --port "$SIM_PORT" --flavor openai \
  --model-alias bench-model --threads 2 --record-limit 0 >/dev/null 2>&1 &
pids+=("$!")
wait_port "$SIM_PORT"

mkdir -p "$work/config"
python3 - "$work/config/lanewise.yaml" "$GW_PORT" "$SIM_PORT" "$POLICY" "$PWD" <<'PY'
import os, sys, yaml
path, gw, sim, policy, root = sys.argv[1:6]
conf = {"server": {"listen": f"127.0.0.1:{gw}"},
        "lanes": [{"name": "local", "kind": "local", "base_url": f"http://127.0.0.1:{sim}/v1",
                   "max_idle_connections": 64,
                   "deadlines": {"total_ms": 3600000, "idle_ms": 600000},
                   "models": [{"alias": "bench-model", "upstream": "bench-model"}]}]}
if policy == "hybrid":
    p = yaml.safe_load(open(os.path.join(root, "examples/hybrid.yaml")))["policy"]
    p["rules"] = []  # the example's rules name its own aliases
    insp = p.get("inspection") or {}
    if insp.get("gazetteer_dir"):
        insp["gazetteer_dir"] = os.path.abspath(os.path.join(root, "examples", insp["gazetteer_dir"]))
    conf["policy"] = p
yaml.safe_dump(conf, open(path, "w"), sort_keys=False)
PY
export LANEWISE_REDACTION_KEY=${LANEWISE_REDACTION_KEY:-bench-redaction-key-0123456789abcdef}
${LANEWISE_WRAP:-} "$BUILD_DIR/src/app/lanewise" serve --config "$work/config/lanewise.yaml" >/dev/null 2>"$work/lanewise.log" &
GW_PID=$!
pids+=("$GW_PID")
wait_port "$GW_PORT"
sleep 1

python3 - "$GW_PORT" "$GW_PID" "$STREAMS" "$(ulimit -n)" <<'PY'
import asyncio, json, sys
port, pid, wanted, fd_limit = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

def open_fds():
    import os
    return len(os.listdir(f"/proc/{pid}/fd"))

idle = rss_mb()
print(f"idle: {idle:.1f} MB resident, {open_fds()} file descriptors")
# What the gateway can hold: two descriptors per stream, beside those it has idle.
can = min(wanted, (fd_limit - open_fds() - 16) // 2)
if can < wanted:
    print(f"descriptor limit {fd_limit}: {wanted} streams need {2 * wanted + open_fds()}; "
          f"measuring up to {can} and extrapolating")
body = json.dumps({"model": "bench-model", "stream": True, "max_tokens": 600,
                   "messages": [{"role": "user", "content": "Tell a very long story."}],
                   "sim": {"tokens": 600, "tokens_per_second": 1}}).encode()
request = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
held = []

async def one():
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    seen = b""
    while b"data: " not in seen:  # the head, then the first event
        chunk = await reader.read(4096)
        if not chunk:
            raise RuntimeError("stream closed before its first event: " + seen[-400:].decode(errors="replace"))
        seen += chunk
    held.append((reader, writer))

async def main():
    points = []
    marks = sorted({max(1, can * k // 4) for k in (1, 2, 3, 4)})
    opened = 0
    for mark in marks:
        while opened < mark:
            batch = min(250, mark - opened)
            await asyncio.gather(*(one() for _ in range(batch)))
            opened += batch
        await asyncio.sleep(1.0)  # let every stream settle into its steady state
        points.append((opened, rss_mb()))
        print(f"{opened:6d} open streams: {points[-1][1]:.1f} MB resident")
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    slope = sum((p[0] - mx) * (p[1] - my) for p in points) / sxx if sxx > 0 else 0
    print(f"per open stream: {slope * 1024:.1f} KB")
    if can < wanted:
        print(f"{wanted} open streams (extrapolated): {my + slope * (wanted - mx):.1f} MB resident")
    for _, writer in held:
        writer.close()

asyncio.run(main())
PY
