// The data-class policy end to end: inspection, classification, routing, fail-closed,
// explain, with two simulated lanes recording every byte they receive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startSim, startGateway, writeConfig, gatewayBinary, repoRoot, chatBody, postChat } from './harness.mjs';

let local;
let cloud;
let gateway;
let configPath;

const CARD = '4111 1111 1111 1111';

function policyConfig() {
  return `
lanes:
  - name: local
    kind: local
    provider: openai-compatible
    base_url: ${local.url}/v1
    deadlines: { connect_ms: 1000, first_byte_ms: 3000, idle_ms: 3000, total_ms: 20000 }
    models:
      - { alias: chat, upstream: tiny-random-llama }
  - name: cloud
    kind: managed
    provider: openai-compatible
    base_url: ${cloud.url}/v1
    deadlines: { connect_ms: 1000, first_byte_ms: 3000, idle_ms: 3000, total_ms: 20000 }
    models:
      - { alias: chat, upstream: gpt-4o-mini }
      - { alias: premium, upstream: gpt-4o }
policy:
  data_classes:
    - name: public
      crossing: allow
    - name: internal
      crossing: allow
    - name: restricted
      lanes: [local]
      crossing: deny
  classification:
    default: public
    by_entity:
      - { types: [CREDIT_CARD, US_SSN, IBAN_CODE, SECRET], class: restricted }
  inspection:
    gazetteer_dir: ${repoRoot}/data/gazetteers
  rules:
    - name: chat-prefers-cloud
      when: { models: [chat], class_at_most: internal }
      route: { lane: cloud, fallbacks: [local] }
`;
}

before(async () => {
  local = await startSim();
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o-mini' });
  configPath = writeConfig(policyConfig());
  gateway = await startGateway(null, { configPath });
});

after(async () => {
  await gateway.stop();
  await local.stop();
  await cloud.stop();
});

async function clearBoth() { await local.clear(); await cloud.clear(); }
const ask = (content, extra = {}) => chatBody({ model: 'chat', messages: [{ role: 'user', content }], ...extra });

test('public data follows the rule to the cloud lane', async () => {
  await clearBoth();
  const res = await postChat(gateway, ask('What is the capital of France?'));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-lanewise-lane'), 'cloud');
  assert.equal(res.headers.get('x-lanewise-data-class'), 'public');
  await res.json();
  assert.equal((await cloud.requests()).length, 1);
  assert.equal((await local.requests()).length, 0);
});

test('a card number makes the request restricted: local only, not one byte to the cloud', async () => {
  await clearBoth();
  for (const stream of [false, true]) {
    const res = await postChat(gateway, ask(`Charge card ${CARD} for the order.`, { stream }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-lanewise-lane'), 'local');
    assert.equal(res.headers.get('x-lanewise-data-class'), 'restricted');
    await res.text();
  }
  assert.equal((await cloud.requests()).length, 0);
  assert.equal((await local.requests()).length, 2);
});

test('a card hidden in tool-call arguments (full-width digits, zero-width and no-break spaces) is still found', async () => {
  await clearBoth();
  const res = await postChat(gateway, JSON.stringify({
    model: 'chat',
    messages: [
      { role: 'user', content: 'Pay the invoice.' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function',
        function: { name: 'pay', arguments: JSON.stringify({ card: '４１１１ １１１１\u200b 1111\u00a01111' }) } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
    ],
  }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-lanewise-data-class'), 'restricted');
  assert.equal((await cloud.requests()).length, 0);
});

test('restricted data for a cloud-only model fails closed with 403, nothing sent anywhere', async () => {
  await clearBoth();
  const res = await postChat(gateway, ask(`Card ${CARD}`, { model: 'premium' }));
  assert.equal(res.status, 403);
  const { error } = await res.json();
  assert.equal(error.code, 'no_route');
  assert.equal(error.type, 'permission_error');
  assert.ok(res.headers.get('x-lanewise-decision-id'));
  assert.equal(res.headers.get('x-lanewise-data-class'), 'restricted');
  assert.equal((await cloud.requests()).length, 0);
  assert.equal((await local.requests()).length, 0);
});

test('a declared class raises the detected one but never lowers it', async () => {
  await clearBoth();
  const raised = await postChat(gateway, ask('Nothing sensitive here.'),
                                { 'x-lanewise-data-class': 'restricted' });
  assert.equal(raised.headers.get('x-lanewise-data-class'), 'restricted');
  assert.equal(raised.headers.get('x-lanewise-lane'), 'local');
  await raised.text();
  const lowered = await postChat(gateway, ask(`Card ${CARD}`), { 'x-lanewise-data-class': 'public' });
  assert.equal(lowered.headers.get('x-lanewise-data-class'), 'restricted');
  await lowered.text();
  assert.equal((await cloud.requests()).length, 0);
  const unknown = await postChat(gateway, ask('hi'), { 'x-lanewise-data-class': 'secret-ish' });
  assert.equal(unknown.status, 400);
  assert.equal((await unknown.json()).error.code, 'unknown_data_class');
});

test('fallback stays within the plan: cloud down -> local for public data', async () => {
  await clearBoth();
  await cloud.configure({ fault: 'status', status: 503 });
  try {
    const res = await postChat(gateway, ask('Tell me a joke.'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-lanewise-lane'), 'local');
    await res.json();
  } finally {
    await cloud.configure({ fault: 'none' });
  }
});

test('restricted data with the local lane down is an error, never a cloud fallback', async () => {
  await clearBoth();
  await local.configure({ fault: 'status', status: 503 });
  try {
    const res = await postChat(gateway, ask(`Card ${CARD}`));
    assert.equal(res.status, 503);
    await res.json();
    assert.equal((await cloud.requests()).length, 0);
  } finally {
    await local.configure({ fault: 'none' });
  }
});

test('explain returns the decision and entity positions, never the values', async () => {
  const content = `Charge ${CARD} please`;
  const res = await fetch(`${gateway.url}/v1/lanewise/explain`, { method: 'POST', body: ask(content) });
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(!text.includes('4111'), 'no entity value in the explanation');
  const explained = JSON.parse(text);
  const card = explained.entities.find((e) => e.type === 'CREDIT_CARD');
  assert.ok(card, text);
  assert.equal(card.location, '/messages/0/content');
  assert.equal(Buffer.from(content).subarray(card.start, card.end).toString(), CARD);
  assert.equal((await cloud.requests()).length, 0, 'explain calls no lane');
  assert.match(text, /restricted/);

  const cli = spawnSync(gatewayBinary, ['explain', '--config', configPath], { input: ask(content), encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  const fromCli = JSON.parse(cli.stdout);
  assert.deepEqual(fromCli.entities, explained.entities);
});
