// Routing by capability end to end: a fixed prompt set (tests/e2e/data, from the routing
// TEST split) sent through the gateway at each objective goes to the strong lane exactly as
// often as `lanewise eval-routing --prompts` predicts offline; the difficulty header, the
// metadata objective, explain's capability and cost fields, and the class winning over any
// objective.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSim, startGateway, gatewayBinary, repoRoot, postChat } from './harness.mjs';

const promptsFile = join(repoRoot, 'tests', 'e2e', 'data', 'capability_prompts.jsonl');
const prompts = readFileSync(promptsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l).prompt);
const CARD = '4111 1111 1111 1111';

let local;
let cloud;
let gateway;

before(async () => {
  local = await startSim();
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o' });
  gateway = await startGateway(`
server: { listen: 127.0.0.1:0, lane_breaker: { failures_to_open: 0 } }
lanes:
  - name: local
    kind: local
    base_url: ${local.url}/v1
    models: [{ alias: chat, upstream: tiny-random-llama }]
    price: { per_second: 0.0002 }
  - name: cloud
    kind: managed
    base_url: ${cloud.url}/v1
    models: [{ alias: premium, upstream: gpt-4o }]
    price: { input_per_mtok: 2.5, output_per_mtok: 10 }
policy:
  data_classes:
    - { name: public, crossing: allow }
    - { name: restricted, lanes: [local], crossing: deny }
  classification:
    default: public
    by_entity: [{ types: [CREDIT_CARD], class: restricted }]
  inspection:
    gazetteer_dir: ${repoRoot}/data/gazetteers
    difficulty_dir: ${repoRoot}/data/difficulty
  rules:
    - name: premium
      when: { models: [premium] }
      route: { strategy: capability, weak: local, strong: cloud, objective: balanced }
`);
});

after(async () => {
  await gateway.stop();
  await local.stop();
  await cloud.stop();
});

function predicted(objective) {
  const run = spawnSync(gatewayBinary, ['eval-routing', '--prompts', promptsFile, '--objective', objective,
                                        '--model', join(repoRoot, 'data', 'difficulty')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const ask = (content, extra = {}) => JSON.stringify({
  model: 'premium', max_tokens: 8, messages: [{ role: 'user', content }], ...extra });

for (const objective of ['quality', 'balanced', 'cost', 'privacy-first']) {
  test(`objective ${objective}: the gateway's strong share is eval-routing's prediction`, async () => {
    const expected = predicted(objective);
    assert.equal(expected.prompts, prompts.length);
    let strong = 0;
    for (const prompt of prompts) {
      const res = await postChat(gateway, ask(prompt), { 'x-lanewise-objective': objective });
      assert.equal(res.status, 200, await res.text());
      const difficulty = Number(res.headers.get('x-lanewise-difficulty'));
      assert.ok(difficulty >= 0 && difficulty <= 1, `difficulty header ${difficulty}`);
      if (res.headers.get('x-lanewise-lane') === 'cloud') strong++;
    }
    assert.equal(strong, expected.strong,
                 `gateway sent ${strong}/${prompts.length} to the strong lane, eval-routing predicts ${expected.strong}`);
  });
}

test('the objectives order the strong share: quality >= balanced >= cost >= privacy-first', () => {
  const shares = ['quality', 'balanced', 'cost', 'privacy-first'].map((o) => predicted(o).strong);
  for (let i = 1; i < shares.length; i++) assert.ok(shares[i - 1] >= shares[i], shares.join());
});

test('metadata.lanewise_objective is honoured like the header', async () => {
  let viaHeader = 0;
  let viaMetadata = 0;
  for (const prompt of prompts.slice(0, 20)) {
    const a = await postChat(gateway, ask(prompt), { 'x-lanewise-objective': 'cost' });
    const b = await postChat(gateway, ask(prompt, { metadata: { lanewise_objective: 'cost' } }));
    assert.equal(a.headers.get('x-lanewise-lane'), b.headers.get('x-lanewise-lane'));
    viaHeader += a.headers.get('x-lanewise-lane') === 'cloud' ? 1 : 0;
    viaMetadata += b.headers.get('x-lanewise-lane') === 'cloud' ? 1 : 0;
  }
  assert.equal(viaHeader, viaMetadata);
});

test('explain shows difficulty, threshold, objective and each candidate\'s cost', async () => {
  const res = await fetch(`${gateway.url}/v1/lanewise/explain`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-lanewise-objective': 'cost' },
    body: ask(prompts[0]) });
  assert.equal(res.status, 200);
  const e = await res.json();
  assert.equal(e.capability.objective, 'cost');
  assert.equal(e.capability.objective_source, 'request');
  assert.ok(e.capability.difficulty >= 0 && e.capability.difficulty <= 1);
  assert.ok(e.capability.threshold > 0);
  assert.deepEqual(e.candidates.map((c) => c.lane).sort(), ['cloud', 'local']);
  const cloudCandidate = e.candidates.find((c) => c.lane === 'cloud');
  assert.ok(cloudCandidate.estimated_cost_usd > 0);
  assert.ok(['chosen', 'fallback'].includes(cloudCandidate.outcome));
  assert.match(cloudCandidate.why, /threshold/);
  assert.ok(e.decision.strong_cost_usd > 0);
  assert.equal(e.facts.difficulty, e.capability.difficulty);
});

test('no objective overrides the class: a card number stays local, the cloud sees nothing', async () => {
  await cloud.clear();
  for (const objective of ['quality', 'balanced', 'cost', 'privacy-first']) {
    const hard = `Prove step by step that the series converges, then implement it in Python. Card ${CARD}.`;
    const res = await postChat(gateway, ask(hard), { 'x-lanewise-objective': objective });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-lanewise-lane'), 'local');
    assert.equal(res.headers.get('x-lanewise-data-class'), 'restricted');
  }
  assert.equal((await cloud.requests()).length, 0);
});

test('the decision log line carries difficulty, objective and costs', async () => {
  const res = await postChat(gateway, ask(prompts[1]), { 'x-lanewise-objective': 'balanced' });
  const id = res.headers.get('x-request-id');
  let line;
  for (let i = 0; i < 50 && !line; i++) {  // the log line may reach stderr after the response
    line = gateway.logs().find((l) => l.request_id === id);
    if (!line) await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(line, 'no log line for the request');
  assert.ok(line.difficulty >= 0 && line.difficulty <= 1, JSON.stringify(line));
  assert.equal(line.objective, 'balanced');
  assert.ok(typeof line.estimated_cost_usd === 'number');
  assert.ok(line.strong_cost_usd > 0);
});
