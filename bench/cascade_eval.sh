#!/usr/bin/env bash
# Cascade evaluation through the real gateway: strong-call share and a quality proxy at
# several thresholds, with the simulator answering like a weak lane (docs/policy.md,
# "Cascades: measured"; docs/simulator.md, "Weak lane").
#
# Two simulators: `local` answers like a weak model (sim.weak_lane: each answer right or
# wrong by a seeded hash of the conversation, token logprobs drawn by verdict, the
# verdict written as the answer's last token), `cloud` is the strong lane, assumed always
# right. One gateway has one cascade rule per threshold (model alias t0.80 and so on), so
# every threshold sees the same prompts and the same weak answers. For each threshold it
# sends N prompts and reads what the client gets: an answer kept from the weak lane
# ("[weak:right]" or "[weak:wrong]") or the escalation's (x-lanewise-cascade: escalated).
#   strong-call share  escalated / N
#   quality proxy      (weak answers kept that are right + escalated answers) / N
# It also prints the weak lane's own right share, how well its confidence separates right
# from wrong (AUROC, as the gateway measured it: x-lanewise-confidence), the quality a
# random escalation of the same share would give, and the share of the weak-to-strong gap
# recovered. Numbers, not a test; deterministic for a given seed.
#
#   bench/cascade_eval.sh [prompts-per-threshold] [seed]      (default 500 1)
#   CASCADE_EVAL_STREAM=1: stream every request (the judged answer is held, then replayed)
#   CASCADE_EVAL_SVG=FILE: also draw the cost/quality curve (SVG) there
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
SEED=${2:-1}
STREAM=${CASCADE_EVAL_STREAM:-0}
BUILD_DIR=${LANEWISE_BENCH_BUILD_DIR:-build-rel}
THRESHOLDS="0.00 0.70 0.75 0.80 0.83 0.85 0.87 0.89 0.91 0.93 0.95 1.00"

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANEWISE_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" --target lanewise lanewise-sim >/dev/null

work=$(mktemp -d /tmp/lanewise-cascade-eval.XXXXXX)
source bench/processes.sh

LOCAL_PORT=$(free_port); CLOUD_PORT=$(free_port); GW_PORT=$(free_port)
"$BUILD_DIR/tools/sim/lanewise-sim" --host 127.0.0.1 --port "$LOCAL_PORT" --flavor llama \
  --model-alias weak-model --threads 1 --record-limit 0 >/dev/null 2>&1 &
pids+=("$!")
"$BUILD_DIR/tools/sim/lanewise-sim" --host 127.0.0.1 --port "$CLOUD_PORT" --flavor openai \
  --model-alias strong-model --threads 1 --record-limit 0 --mode reply \
  --reply "The strong lane's answer." >/dev/null 2>&1 &
pids+=("$!")
wait_port "$LOCAL_PORT"; wait_port "$CLOUD_PORT"

# The weak lane's answers: about 96 words (48 to 144), seeded verdicts and logprobs with
# the defaults of tools/sim/weak_lane.h (documented in docs/simulator.md).
curl -sf "http://127.0.0.1:$LOCAL_PORT/__sim/config" \
  -d "{\"tokens\":96,\"weak_lane\":{\"seed\":$SEED}}" >"$work/weak_lane.json"

mkdir -p "$work/config"
{
  cat <<YAML
server:
  listen: 127.0.0.1:$GW_PORT
  io_threads: 1
  lane_breaker: { failures_to_open: 0 }
lanes:
  - name: local
    kind: local
    provider: openai-compatible
    base_url: http://127.0.0.1:$LOCAL_PORT/v1
    models:
      - { alias: weak, upstream: weak-model }
  - name: cloud
    kind: managed
    provider: openai-compatible
    base_url: http://127.0.0.1:$CLOUD_PORT/v1
    api_key_env: CASCADE_EVAL_KEY
    models:
      - { alias: strong, upstream: strong-model }
policy:
  data_classes:
    - { name: public, crossing: allow }
  inspection: { gazetteer_dir: "$PWD/data/gazetteers" }
  rules:
YAML
  for t in $THRESHOLDS; do
    echo "    - name: cascade-${t/./_}"
    echo "      when: { models: [t$t] }"
    echo "      route: { strategy: cascade, first: local, then: cloud, threshold: $t }"
  done
} >"$work/config/lanewise.yaml"
CASCADE_EVAL_KEY=bench "$BUILD_DIR/src/app/lanewise" check --config "$work/config/lanewise.yaml" >/dev/null
CASCADE_EVAL_KEY=bench "$BUILD_DIR/src/app/lanewise" serve --config "$work/config/lanewise.yaml" \
  >"$work/gateway.log" 2>&1 &
pids+=("$!")
wait_port "$GW_PORT"

python3 - "$GW_PORT" "$N" "$STREAM" "$work/weak_lane.json" "${CASCADE_EVAL_SVG:-}" $THRESHOLDS <<'PY'
import http.client, json, sys
port, n, stream, settings = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
svg_path, thresholds = sys.argv[5], sys.argv[6:]
conn = http.client.HTTPConnection("127.0.0.1", port)

def ask(threshold, i):
    body = {"model": f"t{threshold}", "stream": stream,
            "messages": [{"role": "user", "content": f"Word problem {i}: how many apples are left?"}]}
    conn.request("POST", "/v1/chat/completions", json.dumps(body),
                 {"content-type": "application/json"})
    resp = conn.getresponse()
    data = resp.read().decode()
    assert resp.status == 200, (resp.status, data[:300])
    if stream:
        text = "".join((json.loads(l[6:])["choices"] or [{}])[0].get("delta", {}).get("content") or ""
                       for l in data.split("\n") if l.startswith("data: {"))
    else:
        text = json.loads(data)["choices"][0]["message"]["content"]
    verdict = resp.getheader("x-lanewise-cascade")
    confidence = resp.getheader("x-lanewise-confidence")
    return verdict, text, float(confidence) if confidence else None

def auroc(pairs):  # P(a right answer's confidence > a wrong one's), ties count half
    right = sorted(c for c, r in pairs if r)
    wrong = sorted(c for c, r in pairs if not r)
    import bisect
    wins = sum(bisect.bisect_left(wrong, c) + 0.5 * (bisect.bisect_right(wrong, c) - bisect.bisect_left(wrong, c)) for c in right)
    return wins / (len(right) * len(wrong))

rows, weak_right, pairs = [], None, []
for t in thresholds:
    escalated = kept_right = kept_wrong = 0
    for i in range(n):
        verdict, text, confidence = ask(t, i)
        if verdict == "escalated":
            assert "strong lane" in text, text
            escalated += 1
        else:
            assert verdict == "accepted", verdict
            right = text.endswith("[weak:right]")
            assert right or text.endswith("[weak:wrong]"), text
            kept_right += right
            kept_wrong += not right
            if t == "0.00":
                pairs.append((confidence, right))
    if t == "0.00":
        weak_right = kept_right / n
    rows.append((t, escalated / n, (kept_right + escalated) / n))

print(f"weak lane: {json.dumps(json.load(open(settings))['weak_lane'])}, tokens 48..144")
print(f"{n} prompts per threshold, {'streamed' if stream else 'whole answers'}; the weak lane "
      f"alone is right on {weak_right:.1%}; confidence AUROC (right vs wrong) {auroc(pairs):.3f}")
print()
print("| threshold | strong-call share | quality proxy | gap recovered | random at that share |")
print("|---|---|---|---|---|")
for t, share, quality in rows:
    gap = (quality - weak_right) / (1 - weak_right)
    random_quality = weak_right + share * (1 - weak_right)
    print(f"| {t} | {share:.1%} | {quality:.1%} | {gap:.1%} | {random_quality:.1%} |")
# The area between the curve and random escalation, normalised like APGR: 0.5 is random.
points = sorted((share, quality) for _, share, quality in rows)
area = sum((b[0] - a[0]) * (a[1] + b[1]) / 2 for a, b in zip(points, points[1:]))
span = points[-1][0] - points[0][0]
print(f"\nAPGR of the curve (0.5: random, 1: every wrong answer escalated first): "
      f"{(area - weak_right * span) / ((1 - weak_right) * span):.3f}")

if svg_path:  # x: strong-call share, y: quality proxy; the cascade and random escalation
    W, H, L, B = 520, 360, 60, 50
    x = lambda share: L + share * (W - L - 20)
    y = lambda q: H - B - (q - weak_right) / (1 - weak_right) * (H - B - 20)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<line x1="{x(0)}" y1="{y(weak_right)}" x2="{x(1)}" y2="{y(weak_right)}" stroke="#888"/>',
           f'<line x1="{x(0)}" y1="{y(weak_right)}" x2="{x(0)}" y2="{y(1)}" stroke="#888"/>',
           f'<line x1="{x(0)}" y1="{y(weak_right)}" x2="{x(1)}" y2="{y(1)}" stroke="#aaa" '
           f'stroke-dasharray="4 3"/>']
    for k in range(0, 11, 2):
        out.append(f'<text x="{x(k / 10)}" y="{H - B + 15}" text-anchor="middle">{k * 10}%</text>')
        q = weak_right + k / 10 * (1 - weak_right)
        out.append(f'<text x="{L - 6}" y="{y(q) + 4}" text-anchor="end">{q:.0%}</text>')
    out.append(f'<text x="{(L + W) / 2}" y="{H - 12}" text-anchor="middle">'
               f'strong-call share (escalated)</text>')
    out.append(f'<text x="14" y="{(H - B) / 2}" transform="rotate(-90 14 {(H - B) / 2})" '
               f'text-anchor="middle">quality proxy (right answers)</text>')
    path = " ".join(f"{x(s_):.1f},{y(q):.1f}" for s_, q in points)
    out.append(f'<polyline points="{path}" fill="none" stroke="#1f6fb2" stroke-width="2"/>')
    for t, share, quality in rows:
        out.append(f'<circle cx="{x(share):.1f}" cy="{y(quality):.1f}" r="3" fill="#1f6fb2"/>')
        if t not in ("0.00", "1.00"):
            out.append(f'<text x="{x(share) + 5:.1f}" y="{y(quality) + 12:.1f}">{t}</text>')
    out.append(f'<text x="{x(0.55)}" y="{y(weak_right + 0.45 * (1 - weak_right)) + 16}" '
               f'fill="#888">random escalation</text>')
    seed = json.load(open(settings))["weak_lane"]["seed"]
    out.append(f'<text x="{L + 8}" y="28">bench/cascade_eval.sh {n} {seed}: cascade thresholds '
               f'on a simulated weak lane</text></svg>')
    with open(svg_path, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"curve: {svg_path}")
PY
