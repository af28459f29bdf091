// End to end with the official `@anthropic-ai/sdk` npm client against the gateway's
// Anthropic front (POST /v1/messages): plain and streamed messages, tool use, tool
// results, errors in Anthropic's shape, a mid-stream break, and redaction through it.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { startSim, startGateway, laneConfig, repoRoot } from './harness.mjs';

let local;
let cloud;
let gateway;
let client;

async function simConfig(sim, settings) {
  const response = await fetch(`${sim.url}/__sim/config`, { method: 'POST', body: JSON.stringify(settings) });
  assert.equal(response.status, 200, await response.text());
}

before(async () => {
  local = await startSim();
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o' });
  const yaml = laneConfig([
    { name: 'local', sim: local, alias: 'local-chat' },
    { name: 'cloud', kind: 'managed', sim: cloud, alias: 'premium', upstream: 'gpt-4o', apiKeyEnv: 'CLOUD_KEY' },
  ]) + `policy:
  data_classes:
    - { name: public, crossing: allow }
    - { name: confidential, crossing: { managed: redact } }
    - { name: restricted, lanes: [local], crossing: deny }
  classification:
    by_entity:
      - { types: [CREDIT_CARD], class: restricted }
      - { types: [PERSON, EMAIL_ADDRESS], class: confidential }
  rules:
    - { name: premium, when: { models: [premium] }, route: { lane: cloud, fallbacks: [local] } }
  inspection: { gazetteer_dir: "${join(repoRoot, 'data', 'gazetteers')}" }
`;
  gateway = await startGateway(yaml, { env: { CLOUD_KEY: 'sk-test' } });
  client = new Anthropic({ apiKey: 'unused-by-lanewise', baseURL: gateway.url, maxRetries: 0 });
});

after(async () => {
  await gateway?.stop();
  await local?.stop();
  await cloud?.stop();
});

beforeEach(async () => {
  await simConfig(local, { mode: 'words', fault: 'none', tokens: 16 });
  await simConfig(cloud, { mode: 'words', fault: 'none', tokens: 16 });
});

const messages = [{ role: 'user', content: 'Name three colours.' }];

test('a message, not streamed', async () => {
  const { data, response } = await client.messages
    .create({ model: 'local-chat', max_tokens: 64, system: 'You are terse.', messages })
    .withResponse();
  assert.equal(response.headers.get('x-lanewise-lane'), 'local');
  assert.equal(data.type, 'message');
  assert.equal(data.role, 'assistant');
  assert.equal(data.content[0].type, 'text');
  assert.ok(data.content[0].text.length > 0);
  assert.ok(['end_turn', 'max_tokens'].includes(data.stop_reason));
  assert.ok(data.usage.input_tokens > 0 && data.usage.output_tokens > 0);
  // The local lane received the system prompt as a system message.
  const seen = JSON.parse((await local.requests()).at(-1).body);
  assert.deepEqual(seen.messages[0], { role: 'system', content: 'You are terse.' });
  assert.equal(seen.max_tokens, 64);
});

test('a streamed message: text events add up to the final message', async () => {
  await simConfig(local, { mode: 'echo' });
  const content = 'Grüße aus Zürich — 東京 🚀 done';
  const stream = client.messages.stream({ model: 'local-chat', max_tokens: 64,
                                          messages: [{ role: 'user', content }] });
  let text = '';
  stream.on('text', (delta) => { text += delta; });
  const final = await stream.finalMessage();
  assert.equal(text, content);
  assert.equal(final.content[0].text, content);
  assert.equal(final.stop_reason, 'end_turn');
  assert.ok(final.usage.output_tokens > 0);
});

test('tool use, not streamed and streamed, and a tool result back', async () => {
  const tools = [{ name: 'get_weather', description: 'Weather for a city',
                   input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
  const whole = await client.messages.create({ model: 'local-chat', max_tokens: 64, messages, tools,
                                               tool_choice: { type: 'any' } });
  assert.equal(whole.stop_reason, 'tool_use');
  const use = whole.content.find((b) => b.type === 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.equal(typeof use.input, 'object');
  assert.ok(use.id);

  const streamed = await client.messages.stream({ model: 'local-chat', max_tokens: 64, messages, tools,
                                                  tool_choice: { type: 'any' } }).finalMessage();
  const streamedUse = streamed.content.find((b) => b.type === 'tool_use');
  assert.equal(streamed.stop_reason, 'tool_use');
  assert.equal(streamedUse.name, 'get_weather');
  assert.equal(typeof streamedUse.input, 'object');

  await client.messages.create({ model: 'local-chat', max_tokens: 64, tools, messages: [
    ...messages,
    { role: 'assistant', content: [{ type: 'tool_use', id: use.id, name: use.name, input: { city: 'Oslo' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny, 21 C' },
                              { type: 'text', text: 'And tomorrow?' }] },
  ] });
  const seen = JSON.parse((await local.requests()).at(-1).body);
  const [asked, answered, followUp] = seen.messages.slice(-3);
  assert.equal(asked.tool_calls[0].id, use.id);
  assert.deepEqual(JSON.parse(asked.tool_calls[0].function.arguments), { city: 'Oslo' });
  assert.deepEqual(answered, { role: 'tool', tool_call_id: use.id, content: 'sunny, 21 C' });
  assert.deepEqual(followUp.content, [{ type: 'text', text: 'And tomorrow?' }]);
  assert.equal(seen.tools[0].function.name, 'get_weather');
  assert.equal(seen.tool_choice, undefined);
});

test('errors arrive in Anthropic\'s shape and map to the SDK\'s error classes', async () => {
  await assert.rejects(
    client.messages.create({ model: 'no-such-model', max_tokens: 8, messages }),
    (err) => err instanceof Anthropic.NotFoundError && err.error?.error?.type === 'not_found_error');
  await assert.rejects(
    client.messages.create({ model: 'local-chat', messages }),  // max_tokens missing
    (err) => err instanceof Anthropic.BadRequestError && /max_tokens/.test(err.message));
  await simConfig(local, { fault: 'status', status: 503 });
  await assert.rejects(
    client.messages.create({ model: 'local-chat', max_tokens: 8, messages }),
    (err) => err instanceof Anthropic.APIError && err.status === 503);
});

test('a restricted request on the premium alias stays local; the cloud sees nothing', async () => {
  await fetch(`${cloud.url}/__sim/requests`, { method: 'DELETE' });
  const { response } = await client.messages.create({
    model: 'premium', max_tokens: 16,
    messages: [{ role: 'user', content: 'My card 4111 1111 1111 1111 was declined.' }],
  }).withResponse();
  assert.equal(response.headers.get('x-lanewise-lane'), 'local');
  assert.equal(response.headers.get('x-lanewise-data-class'), 'restricted');
  assert.equal((await cloud.requests()).length, 0);
});

test('a mid-stream break throws in the client instead of looking like a short answer', async () => {
  await simConfig(local, { tokens: 30, fault: 'reset_after_first_byte', after_chunks: 4 });
  const stream = client.messages.stream({ model: 'local-chat', max_tokens: 64, messages });
  let text = '';
  stream.on('text', (delta) => { text += delta; });
  await assert.rejects(stream.finalMessage(), (err) => err instanceof Anthropic.APIError);
  assert.ok(text.length > 0, 'some content arrived before the break');
});

test('redaction through the Anthropic front: the cloud sees placeholders, the client the values', async () => {
  await simConfig(cloud, { mode: 'echo' });
  await fetch(`${cloud.url}/__sim/requests`, { method: 'DELETE' });
  const content = 'Please write to Jonathan Whitfield at jon.whitfield@example.com today.';
  const whole = await client.messages.create({ model: 'premium', max_tokens: 64,
                                               messages: [{ role: 'user', content }] });
  assert.equal(whole.content[0].text, content);
  const stream = client.messages.stream({ model: 'premium', max_tokens: 64,
                                          messages: [{ role: 'user', content }] });
  let text = '';
  stream.on('text', (delta) => { text += delta; });
  await stream.finalMessage();
  assert.equal(text, content);
  const received = (await cloud.requests()).map((r) => r.body).join('\n');
  assert.equal((await cloud.requests()).length, 2);
  assert.ok(!received.includes('jon.whitfield@example.com'), received);
  assert.ok(!received.includes('Whitfield'), received);
  assert.match(received, /\[EMAIL_ADDRESS_[0-9a-f]{8}\]/);
});
