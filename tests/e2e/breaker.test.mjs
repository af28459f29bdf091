// The lane circuit breaker, through the real gateway: a lane that keeps failing is
// skipped by the plan (its simulator stops receiving requests) and the request served by
// the fallback; when every lane a class allows is down, the client gets a retryable 502.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSim, startGateway, laneConfig, chatBody, repoRoot } from './harness.mjs';

let flaky;
let steady;
let gateway;

before(async () => {
  flaky = await startSim();
  steady = await startSim();
  const yaml = laneConfig([
    { name: 'flaky', sim: flaky, alias: 'chat' },
    { name: 'steady', sim: steady, alias: 'chat' },
  ], { breaker: '{ failures_to_open: 2, open_ms: 60000, max_open_ms: 60000 }' }) + `policy:
  data_classes:
    - { name: public, crossing: allow }
    - { name: pinned, lanes: [flaky], crossing: deny }
  default: { lane: flaky, fallbacks: [steady] }
  inspection: { gazetteer_dir: "${join(repoRoot, 'data', 'gazetteers')}" }
`;
  gateway = await startGateway(yaml);
  await fetch(`${flaky.url}/__sim/config`, { method: 'POST',
                                             body: JSON.stringify({ fault: 'status', status: 503 }) });
});

after(async () => {
  await gateway?.stop();
  await flaky?.stop();
  await steady?.stop();
});

async function chat(headers = {}) {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: chatBody({ model: 'chat' }),
  });
}

test('after two failures the flaky lane is skipped, not waited on', async () => {
  for (let i = 0; i < 2; ++i) {
    const response = await chat();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-lanewise-lane'), 'steady');
  }
  assert.equal((await flaky.requests()).length, 2);
  const third = await chat();
  assert.equal(third.status, 200);
  assert.equal(third.headers.get('x-lanewise-lane'), 'steady');
  assert.equal((await flaky.requests()).length, 2, 'the open breaker kept the request away');
  const explained = await (await fetch(`${gateway.url}/v1/lanewise/explain`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: chatBody({ model: 'chat' }) })).json();
  assert.ok(explained.decision.reasons.includes('lane_down_skipped'), JSON.stringify(explained.decision));
});

test('a class whose only lane is down gets a retryable 502, and nothing goes elsewhere', async () => {
  const before = (await steady.requests()).length;
  const response = await chat({ 'x-lanewise-data-class': 'pinned' });
  assert.equal(response.status, 502);
  assert.equal(response.headers.get('x-lanewise-data-class'), 'pinned');
  assert.ok(response.headers.get('x-lanewise-decision-id'));
  const body = await response.json();
  assert.equal(body.error.code, 'all_allowed_lanes_down');
  assert.equal((await steady.requests()).length, before);
});
