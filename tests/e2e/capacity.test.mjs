// Capacity end to end with the official `openai` client: lanes with max_concurrency 1 on a
// slow simulated lane. When the lane is full a request bursts to the cloud lane its class
// allows, degrades to a smaller model lane, queues (and runs when the slot frees, or gives
// up with 503 + Retry-After), or is refused with 429 + Retry-After; a restricted request
// never bursts to the cloud. What happened is in x-lanewise-capacity and the log line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { join } from 'node:path';
import { startSim, startGateway, laneConfig, postChat, repoRoot } from './harness.mjs';

let local;
let cloud;
let gateway;
let openai;

const CARD = '4111 1111 1111 1111';

before(async () => {
  local = await startSim();
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o' });
  await local.configure({ ttft_ms: 400, tokens: 10, tokens_per_second: 25 });  // ~0.8 s each
  const lanes = [
    { name: 'burst-lane', sim: local, alias: 'burst', cap: '{ max_concurrency: 1, when_full: burst }' },
    { name: 'refuse-lane', sim: local, alias: 'refuse', cap: '{ max_concurrency: 1, when_full: refuse }' },
    { name: 'queue-lane', sim: local, alias: 'queue',
      cap: '{ max_concurrency: 1, queue: 1, queue_timeout_ms: 3000 }' },
    { name: 'short-queue-lane', sim: local, alias: 'short-queue',
      cap: '{ max_concurrency: 1, queue: 1, queue_timeout_ms: 100 }' },
    { name: 'big-lane', sim: local, alias: 'big',
      cap: '{ max_concurrency: 1, when_full: degrade, degrade_to: small-lane }' },
    { name: 'small-lane', sim: local, alias: 'small' },
    { name: 'cloud', kind: 'managed', sim: cloud, alias: 'premium', upstream: 'gpt-4o' },
  ];
  let yaml = laneConfig(lanes);
  for (const lane of lanes.filter((l) => l.cap)) {
    yaml = yaml.replace(`  - name: ${lane.name}\n`, `  - name: ${lane.name}\n    capacity: ${lane.cap}\n`);
  }
  yaml += `policy:
  data_classes:
    - { name: public, crossing: allow }
    - { name: restricted, kinds: [local], crossing: deny }
  classification:
    by_entity: [{ types: [CREDIT_CARD], class: restricted }]
  inspection: { gazetteer_dir: "${join(repoRoot, 'data', 'gazetteers')}" }
  rules:
    - { name: burst, when: { models: [burst] }, route: { lane: burst-lane, fallbacks: [cloud] } }
`;
  gateway = await startGateway(yaml);
  openai = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

after(async () => {
  await gateway.stop();
  await local.stop();
  await cloud.stop();
});

const ask = (model, content = 'Hello there') =>
  JSON.stringify({ model, messages: [{ role: 'user', content }] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The request's log line (written once its response has ended: waited for).
async function logFor(response) {
  const id = response.headers.get('x-request-id');
  for (let i = 0; i < 100; i++) {
    const line = gateway.logs().find((l) => l.request_id === id && l.path);
    if (line) return line;
    await sleep(20);
  }
  throw new Error(`no log line for ${id}`);
}

// One request occupies the lane's only slot; the second arrives while it runs.
async function whileBusy(model, second) {
  const first = postChat(gateway, ask(model));
  await sleep(150);
  const res = await second();
  const held = await first;
  assert.equal(held.status, 200);
  return res;
}

test('burst: a full lane sends the request on to the cloud lane its class allows', async () => {
  const res = await whileBusy('burst', () => postChat(gateway, ask('burst')));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-lanewise-lane'), 'cloud');
  assert.equal(res.headers.get('x-lanewise-capacity'), 'burst-lane=lane_at_capacity');
  const log = await logFor(res);
  assert.ok(log.attempts.some((a) => a.lane === 'burst-lane' && a.outcome === 'lane_at_capacity'));
});

test('burst never crosses the class: a restricted request is refused with 429', async () => {
  const res = await whileBusy('burst', () => postChat(gateway, ask('burst', `Card ${CARD}`)));
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '1');
  assert.equal((await res.json()).error.code, 'lane_at_capacity');
  const sent = await cloud.requests();
  assert.ok(!sent.some((r) => r.body.includes('4111')), 'the card reached the cloud lane');
});

test('refuse: 429 with Retry-After through the OpenAI client', async () => {
  await whileBusy('refuse', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'refuse', messages: [{ role: 'user', content: 'hi' }] }),
                         (e) => e.status === 429 && e.headers.get('retry-after') === '1');
  });
});

test('degrade: a full lane hands the request to its smaller model lane', async () => {
  const res = await whileBusy('big', () => postChat(gateway, ask('big')));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-lanewise-lane'), 'small-lane');
  assert.equal(res.headers.get('x-lanewise-capacity'), 'big-lane=lane_at_capacity');
});

test('queue: the request waits for the slot and runs; a short queue gives up with 503', async () => {
  const res = await whileBusy('queue', () => postChat(gateway, ask('queue')));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-lanewise-lane'), 'queue-lane');
  assert.ok(Number(res.headers.get('x-lanewise-queued-ms')) >= 300, res.headers.get('x-lanewise-queued-ms'));
  const late = await whileBusy('short-queue', () => postChat(gateway, ask('short-queue')));
  assert.equal(late.status, 503);
  assert.ok(Number(late.headers.get('retry-after')) >= 1);
  assert.equal((await late.json()).error.code, 'lane_queue_timeout');
});
