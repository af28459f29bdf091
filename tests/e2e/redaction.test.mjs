// Redaction end to end with the official `openai` npm client, on examples/hybrid.yaml itself
// (its ${...} variables point the lanes at two simulators): confidential requests reach the
// cloud lane only with placeholders and the client gets the real values back, streamed and
// not; restricted requests stay on the local lane; with the cloud down, a confidential
// request falls back to the local lane.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startSim, startGateway, repoRoot } from './harness.mjs';

let local;
let cloud;
let gateway;
let client;

const NAME = 'Maria Garcia';
const EMAIL = 'maria.garcia@example.com';
const PHONE = '+1 415 555 0132';
const CARD = '4111 1111 1111 1111';
const CONFIDENTIAL = `Please write to ${NAME} at ${EMAIL} or call ${PHONE} about the invoice.`;
const RESTRICTED = `Charge the card ${CARD} for the invoice of ${NAME}.`;
const PLACEHOLDER = /\[[A-Z_]+_[0-9a-f]{8}\]/g;

before(async () => {
  local = await startSim({ flavor: 'llama', alias: 'tiny-random-llama' });
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o' });
  gateway = await startGateway(null, {
    configPath: join(repoRoot, 'examples', 'hybrid.yaml'),
    env: { LOCAL_LLM_URL: `${local.url}/v1`, CLOUD_LLM_URL: `${cloud.url}/v1`,
           CLOUD_LLM_API_KEY: 'sk-test-not-a-real-key', LANEWISE_REDACTION_KEY: 'e2e-redaction-key-0123456789abcdef' },
  });
  client = new OpenAI({ apiKey: 'unused-by-lanewise', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

after(async () => {
  await gateway.stop();
  await local.stop();
  await cloud.stop();
});

beforeEach(async () => {
  await local.configure({ fault: 'none' });
  await cloud.configure({ fault: 'none' });
  await local.clear();
  await cloud.clear();
});

const user = (content) => [{ role: 'system', content: 'You are terse.' }, { role: 'user', content }];

// What the cloud lane received (`count` requests: a connection reset before the first
// byte is retried once), checked for the raw values; the placeholders of the last message.
async function cloudSawOnlyPlaceholders(values, { count = 1, what = '' } = {}) {
  const recorded = await cloud.requests();
  assert.ok(recorded.length >= 1 && recorded.length <= count,
            `${count} request(s) at most reached the cloud lane ${what}: got ${recorded.length}`);
  let placeholders = [];
  for (const { body } of recorded) {
    for (const value of values) {
      assert.ok(!body.includes(value), `the cloud lane received ${value}`);
      const digits = value.replace(/\D/g, '');
      if (digits.length >= 7) assert.ok(!body.replace(/\D/g, '').includes(digits), `the cloud lane received the digits of ${value}`);
    }
    placeholders = JSON.parse(body).messages.at(-1).content.match(PLACEHOLDER) ?? [];
  }
  return placeholders;
}

// A request the cloud lane serves: resets its breaker's count of consecutive failures
// (hybrid.yaml keeps the default breaker: 3 failures in a row take a lane out for 5 s).
async function cloudServesAgain() {
  await cloud.configure({ fault: 'none' });
  const { response } = await client.chat.completions.create({
    model: 'premium', messages: user(CONFIDENTIAL), sim: { mode: 'echo' } }).withResponse();
  assert.equal(response.headers.get('x-lanewise-lane'), 'cloud');
}

test('streamed answer from the cloud lane: placeholders there, real values at the client', async () => {
  const { data: stream, response } = await client.chat.completions.create({
    model: 'premium', messages: user(CONFIDENTIAL), stream: true, sim: { mode: 'echo' },
  }).withResponse();
  assert.equal(response.headers.get('x-lanewise-lane'), 'cloud');
  assert.equal(response.headers.get('x-lanewise-data-class'), 'confidential');
  assert.ok(response.headers.get('x-lanewise-decision-id'));
  let text = '';
  let chunks = 0;
  let finish = null;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(text, CONFIDENTIAL, 'every placeholder restored, nothing else changed');
  assert.equal(finish, 'stop');
  assert.ok(chunks > 10, 'the answer came in many chunks, so placeholders were split across them');
  const placeholders = await cloudSawOnlyPlaceholders([NAME, EMAIL, PHONE]);
  assert.ok(placeholders.some((p) => p.startsWith('[PERSON_')), placeholders.join());
  assert.ok(placeholders.some((p) => p.startsWith('[EMAIL_ADDRESS_')), placeholders.join());
  assert.ok(placeholders.some((p) => p.startsWith('[PHONE_NUMBER_')), placeholders.join());
  for (const p of placeholders) assert.ok(!text.includes(p));
});

test('non-streamed answer from the cloud lane: real values at the client', async () => {
  const { data, response } = await client.chat.completions.create({
    model: 'premium', messages: user(CONFIDENTIAL), sim: { mode: 'echo' },
  }).withResponse();
  assert.equal(response.headers.get('x-lanewise-lane'), 'cloud');
  assert.equal(data.choices[0].message.content, CONFIDENTIAL);
  assert.equal(data.choices[0].finish_reason, 'stop');
  assert.equal((await cloudSawOnlyPlaceholders([NAME, EMAIL, PHONE])).length, 3);
});

test('placeholders are stable within a session and differ across sessions', async () => {
  const ask = async (session) => {
    await cloud.clear();
    await client.chat.completions.create({ model: 'premium', messages: user(CONFIDENTIAL), sim: { mode: 'echo' } },
                                         { headers: { 'x-lanewise-session': session } });
    return cloudSawOnlyPlaceholders([NAME, EMAIL, PHONE]);
  };
  const first = await ask('session-a');
  assert.deepEqual(await ask('session-a'), first);
  assert.notDeepEqual(await ask('session-b'), first);
});

test('a restricted request (card number) on `premium` is served by the local lane; the cloud sees nothing', async () => {
  for (const stream of [false, true]) {
    const { data, response } = await client.chat.completions.create({
      model: 'premium', messages: user(RESTRICTED), stream, sim: { mode: 'echo' },
    }).withResponse();
    assert.equal(response.headers.get('x-lanewise-lane'), 'local');
    assert.equal(response.headers.get('x-lanewise-data-class'), 'restricted');
    let text = '';
    if (stream) {
      for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? '';
    } else {
      text = data.choices[0].message.content;
    }
    assert.equal(text, RESTRICTED, 'the local lane sees (and echoes) the request as is');
  }
  assert.equal((await cloud.requests()).length, 0, 'not one request reached the cloud lane');
  assert.equal((await local.requests()).length, 2);
});

test('with the cloud lane down, a confidential request falls back to the local lane', async () => {
  for (const fault of [{ fault: 'status', status: 503 }, { fault: 'reset_before_first_byte' }]) {
    for (const stream of [false, true]) {
      await cloud.configure(fault);
      await cloud.clear();
      const { data, response } = await client.chat.completions.create({
        model: 'premium', messages: user(CONFIDENTIAL), stream, sim: { mode: 'echo' },
      }).withResponse();
      assert.equal(response.headers.get('x-lanewise-lane'), 'local', JSON.stringify(fault));
      assert.equal(response.headers.get('x-lanewise-data-class'), 'confidential');
      let text = '';
      if (stream) {
        for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? '';
      } else {
        text = data.choices[0].message.content;
      }
      assert.equal(text, CONFIDENTIAL);
      // The cloud was tried first, and got only the redacted request.
      await cloudSawOnlyPlaceholders([NAME, EMAIL, PHONE], { count: 2, what: JSON.stringify({ fault, stream }) });
      await cloudServesAgain();
    }
  }
});

test('a cloud stream that breaks after the first byte throws in the client, no fallback', async () => {
  await cloud.configure({ fault: 'reset_after_first_byte', after_chunks: 6 });
  const { data: stream, response } = await client.chat.completions.create({
    model: 'premium', messages: user(CONFIDENTIAL), stream: true, sim: { mode: 'echo' },
  }).withResponse();
  assert.equal(response.headers.get('x-lanewise-lane'), 'cloud');
  let text = '';
  await assert.rejects(async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  }, (err) => err instanceof OpenAI.APIError);
  assert.ok(CONFIDENTIAL.startsWith(text), `what arrived is a prefix of the restored answer: ${JSON.stringify(text)}`);
  assert.equal(text.match(PLACEHOLDER), null, 'no placeholder reached the client');
  assert.equal((await local.requests()).length, 0, 'no fallback after the first byte');
});
