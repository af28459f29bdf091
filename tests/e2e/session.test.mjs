// Sessions end to end with the official `openai` client (x-lanewise-session): a session
// whose class rose stays at least that class on later turns that no longer carry the
// value (taint), and a session stays on the lane that served it (affinity) until that lane
// fails or its class forbids it.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startSim, startGateway, laneConfig, repoRoot } from './harness.mjs';

let local;
let cloud;
let gateway;
let openai;

const CARD = '4111 1111 1111 1111';

before(async () => {
  local = await startSim();
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o' });
  const yaml = laneConfig([
    { name: 'local', sim: local, alias: 'chat' },
    { name: 'cloud', kind: 'managed', sim: cloud, alias: 'chat', upstream: 'gpt-4o' },
  ]) + `policy:
  data_classes:
    - { name: public, crossing: allow }
    - { name: restricted, lanes: [local], crossing: deny }
  classification:
    by_entity: [{ types: [CREDIT_CARD], class: restricted }]
  inspection: { gazetteer_dir: "${join(repoRoot, 'data', 'gazetteers')}" }
  default: { lane: cloud, fallbacks: [local] }
`;
  gateway = await startGateway(yaml);
  openai = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

after(async () => {
  await gateway.stop();
  await local.stop();
  await cloud.stop();
});

beforeEach(async () => {
  await cloud.configure({ fault: 'none' });
  await local.clear();
  await cloud.clear();
});

async function turn(session, content) {
  const headers = session ? { 'x-lanewise-session': session } : {};
  const { response } = await openai.chat.completions
    .create({ model: 'chat', messages: [{ role: 'user', content }] }, { headers }).withResponse();
  return { lane: response.headers.get('x-lanewise-lane'), cls: response.headers.get('x-lanewise-data-class') };
}

test('taint: once a turn is restricted, the session stays restricted', async () => {
  assert.deepEqual(await turn('taint-1', 'Hello'), { lane: 'cloud', cls: 'public' });
  assert.deepEqual(await turn('taint-1', `My card is ${CARD}`), { lane: 'local', cls: 'restricted' });
  await cloud.clear();
  // The value is gone from this turn, the class is not.
  assert.deepEqual(await turn('taint-1', 'And what about the weather?'), { lane: 'local', cls: 'restricted' });
  assert.equal((await cloud.requests()).length, 0);
  // Another session, and a request without one, are not affected.
  assert.deepEqual(await turn('taint-2', 'And what about the weather?'), { lane: 'cloud', cls: 'public' });
  assert.deepEqual(await turn(null, 'And what about the weather?'), { lane: 'cloud', cls: 'public' });
});

test('affinity: a session stays on the lane that served it', async () => {
  assert.equal((await turn('sticky-1', 'Hello')).lane, 'cloud');
  await cloud.configure({ fault: 'status', status: 503 });
  assert.equal((await turn('sticky-1', 'Hello again')).lane, 'local');  // fell back
  await cloud.configure({ fault: 'none' });
  assert.equal((await turn('sticky-1', 'And again')).lane, 'local');  // stays there
  assert.equal((await turn('sticky-2', 'And again')).lane, 'cloud');  // others: the plan
  assert.ok(gateway.logs().some((l) => l.path && l.lane === 'local' && l.request_id), 'log lines');
});
