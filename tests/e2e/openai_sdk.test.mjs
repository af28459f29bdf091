// End to end with the official `openai` npm client against the gateway.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startSim, startGateway, laneConfig } from './harness.mjs';

let local;
let gateway;
let client;

before(async () => {
  local = await startSim();
  gateway = await startGateway(laneConfig([{ name: 'local', sim: local, alias: 'local-chat' }]));
  client = new OpenAI({ apiKey: 'unused-by-lanewise', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

after(async () => {
  await gateway.stop();
  await local.stop();
});

const messages = [{ role: 'system', content: 'You are terse.' },
                  { role: 'user', content: 'Name three colours.' }];

test('non-streaming completion', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: 'local-chat', messages, max_tokens: 16 }).withResponse();
  assert.equal(response.headers.get('x-lanewise-lane'), 'local');
  assert.equal(data.object, 'chat.completion');
  assert.ok(data.choices[0].message.content.length > 0);
  assert.ok(['stop', 'length'].includes(data.choices[0].finish_reason));
});

test('streaming completion with usage', async () => {
  const stream = await client.chat.completions.create({
    model: 'local-chat', messages, stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let usage = null;
  let finish = null;
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      text += choice.delta?.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(text.length > 0);
  assert.ok(finish);
  assert.ok(usage && usage.completion_tokens > 0);
});

test('echo mode returns exactly what was sent (UTF-8 intact through the stream)', async () => {
  const content = 'Grüße aus Zürich — 東京 🚀 done';
  const stream = await client.chat.completions.create({
    model: 'local-chat', messages: [{ role: 'user', content }], stream: true,
    sim: { mode: 'echo' },
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  assert.equal(text, content);
});

test('tool calls, non-streaming and streaming', async () => {
  const tools = [{ type: 'function', function: {
    name: 'get_weather', description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  } }];
  const whole = await client.chat.completions.create({
    model: 'local-chat', messages, tools, tool_choice: 'required',
  });
  const call = whole.choices[0].message.tool_calls[0];
  assert.equal(whole.choices[0].finish_reason, 'tool_calls');
  assert.equal(call.function.name, 'get_weather');
  assert.equal(typeof JSON.parse(call.function.arguments), 'object');

  const stream = await client.chat.completions.create({
    model: 'local-chat', messages, tools, tool_choice: 'required', stream: true,
  });
  let name = '';
  let args = '';
  let finish = null;
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    for (const tc of delta?.tool_calls ?? []) {
      name += tc.function?.name ?? '';
      args += tc.function?.arguments ?? '';
    }
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(name, 'get_weather');
  assert.equal(typeof JSON.parse(args), 'object');
  assert.equal(finish, 'tool_calls');
});

test('a lane error surfaces as an APIError with the lane status', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'local-chat', messages, sim: { fault: 'status', status: 503 } }),
    (err) => err instanceof OpenAI.APIError && err.status === 503);
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages }),
    (err) => err instanceof OpenAI.NotFoundError);
});

test('a mid-stream break throws in the client instead of looking like a short answer', async () => {
  const stream = await client.chat.completions.create({
    model: 'local-chat', messages, stream: true,
    sim: { tokens: 30, fault: 'reset_after_first_byte', after_chunks: 4 },
  });
  let received = 0;
  await assert.rejects(async () => {
    for await (const chunk of stream) received += chunk.choices.length;
  }, (err) => err instanceof OpenAI.APIError);
  assert.ok(received > 0, 'some content arrived before the break');
});
