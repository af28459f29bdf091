// The latency model end to end: a simulated llama.cpp lane with configured prefill and
// decode speeds, a fixed first-token delay and two generation slots, under load from 1 to 5
// concurrent streamed requests. The gateway learns the lane's speeds from its answers; each
// request's log line carries the prediction made at decision time (queue included) and what
// the answer took. The median relative error must stay within 20%. Then deadlines: a
// request with x-lanewise-deadline-ms goes to the lane predicted to meet it, and explain
// shows every candidate's predicted time to first token and total.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSim, startGateway, laneConfig, postChat, readSse, repoRoot } from './harness.mjs';

let local;
let cloud;
let gateway;

// The local lane: 40 ms fixed + prompt at 3,000 tokens/s, 150 tokens/s decode, 2 slots.
const LOCAL = { ttft_ms: 40, prefill_tokens_per_second: 3000, tokens_per_second: 150, slots: 2,
                tokens: 400, mode: 'words' };
// The cloud lane: 250 ms first token, fast decode, no slot limit.
const CLOUD = { ttft_ms: 250, prefill_tokens_per_second: 50000, tokens_per_second: 600, tokens: 400,
                mode: 'words' };

before(async () => {
  local = await startSim();
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o' });
  await local.configure(LOCAL);
  await cloud.configure(CLOUD);
  const yaml = laneConfig([
    { name: 'local', sim: local, alias: 'chat' },
    { name: 'cloud', kind: 'managed', sim: cloud, alias: 'premium', upstream: 'gpt-4o' },
  ]).replace('upstream: tiny-random-llama\n', 'upstream: tiny-random-llama\n    slots: 2\n') + `policy:
  data_classes:
    - { name: public, crossing: allow }
  inspection: { gazetteer_dir: "${join(repoRoot, 'data', 'gazetteers')}" }
  latency_tiers:
    interactive: { deadline_ms: 900 }
  rules:
    - { name: premium, when: { models: [premium] }, route: { lane: cloud } }
  default: { lane: local, fallbacks: [cloud] }
`;
  gateway = await startGateway(yaml);
});

after(async () => {
  await gateway.stop();
  await local.stop();
  await cloud.stop();
});

// A prompt of about `words` words and a streamed answer of `tokens` tokens.
function body(model, words, tokens) {
  const text = Array.from({ length: words }, (_, i) => `word${i % 97}`).join(' ');
  return JSON.stringify({ model, stream: true, max_tokens: tokens,
                          messages: [{ role: 'user', content: text }] });
}

async function streamed(model, words, tokens, headers = {}) {
  const res = await postChat(gateway, body(model, words, tokens), headers);
  assert.equal(res.status, 200, await res.clone().text());
  const { events } = await readSse(res);
  assert.equal(events.at(-1).data, '[DONE]');
  return res;
}

// Deterministic spread of sizes: prompts of 20 to 1,900 words, answers of 8 to 80 tokens.
const size = (i) => ({ words: 20 + ((i * 389) % 1900), tokens: 8 + ((i * 37) % 73) });
const chatLogs = () => gateway.logs().filter((l) => l.path === '/v1/chat/completions' && l.attempts);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

test('the latency model predicts within 20% (median) under load', async () => {
  // Learn: one at a time (no queue).
  for (let i = 0; i < 12; i++) await streamed('chat', size(i).words, size(i).tokens);
  const learned = chatLogs().length;
  // Measure: waves of 1 to 5 concurrent requests on 2 slots.
  let n = 100;
  for (let round = 0; round < 3; round++) {
    for (const width of [1, 2, 3, 4, 5]) {
      const wave = [];
      for (let k = 0; k < width; k++, n++) wave.push(streamed('chat', size(n).words, size(n).tokens));
      await Promise.all(wave);
    }
  }
  for (let i = 0; i < 50 && chatLogs().length < learned + 45; i++) await new Promise((r) => setTimeout(r, 20));
  const measured = chatLogs().slice(learned).map((l) => l.attempts.at(-1));
  assert.equal(measured.length, 45);
  assert.ok(measured.every((a) => a.lane === 'local' && a.predicted_total_ms > 0 && a.total_ms > 0),
            JSON.stringify(measured[0]));
  const ttftErrors = measured.map((a) => Math.abs(a.predicted_ttft_ms - a.ttft_ms) / a.ttft_ms);
  const totalErrors = measured.map((a) => Math.abs(a.predicted_total_ms - a.total_ms) / a.total_ms);
  const ttft = median(ttftErrors);
  const total = median(totalErrors);
  console.log(`latency model, ${measured.length} streamed requests, 1-5 concurrent on 2 slots: ` +
              `median error ttft ${(100 * ttft).toFixed(1)}%, total ${(100 * total).toFixed(1)}%`);
  assert.ok(total <= 0.2, `median total error ${total}`);
  assert.ok(ttft <= 0.2, `median ttft error ${ttft}`);
});

test('a deadline sends the request to the lane predicted to meet it; explain shows why', async () => {
  for (let i = 0; i < 4; i++) await streamed('premium', size(i).words, size(i).tokens);
  // A long answer: local ~ 40 + 330 + 80 x 6.7 ms ~ 0.9 s; cloud ~ 250 + 20 + 80 x 1.7 ~ 0.4 s.
  const words = 800;
  const tokens = 80;
  let res = await streamed('chat', words, tokens);
  assert.equal(res.headers.get('x-lanewise-lane'), 'local');
  res = await streamed('chat', words, tokens, { 'x-lanewise-deadline-ms': '600' });
  assert.equal(res.headers.get('x-lanewise-lane'), 'cloud');
  // The log line is written once the response has ended: wait for it.
  const id = res.headers.get('x-request-id');
  let log;
  for (let i = 0; i < 50 && !log; i++, await new Promise((r) => setTimeout(r, 20))) {
    log = chatLogs().find((l) => l.request_id === id);
  }
  assert.equal(log.deadline_ms, 600);
  // The policy's tier deadline (interactive: 900 ms) applies when the request gives none.
  res = await streamed('chat', words, 200, { 'x-lanewise-latency': 'interactive' });
  assert.equal(res.headers.get('x-lanewise-lane'), 'cloud');
  const explained = await fetch(`${gateway.url}/v1/lanewise/explain`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-lanewise-deadline-ms': '600' },
    body: body('chat', words, tokens) });
  assert.equal(explained.status, 200);
  const e = await explained.json();
  assert.deepEqual(e.decision.plan.map((a) => a.lane), ['cloud', 'local']);
  assert.ok(e.decision.reasons.includes('deadline_reordered'), e.decision.reasons.join());
  for (const c of e.candidates) {
    assert.ok(c.predicted_ttft_ms > 0 && c.predicted_total_ms > c.predicted_ttft_ms, JSON.stringify(c));
  }
  const bad = await postChat(gateway, body('chat', 10, 5), { 'x-lanewise-deadline-ms': 'soon' });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, 'invalid_deadline');
});
