// Integration tests: the real gateway in front of real simulators, over plain HTTP, so
// that wire details (status codes, headers, SSE framing) are asserted exactly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, startGateway, laneConfig, readSse, chatBody, postChat } from './harness.mjs';

let local;
let cloud;
let gateway;

before(async () => {
  local = await startSim({ flavor: 'llama' });
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o-mini' });
  const yaml = laneConfig([
    { name: 'local', kind: 'local', sim: local, alias: 'local-chat', firstByteMs: 1500,
      idleMs: 1500 },
    { name: 'cloud', kind: 'managed', sim: cloud, alias: 'cloud-chat', upstream: 'gpt-4o-mini',
      apiKeyEnv: 'TEST_CLOUD_KEY' },
  ], { server: '  max_body_bytes: 65536' });
  gateway = await startGateway(yaml, { env: { TEST_CLOUD_KEY: 'sk-test-cloud-key' } });
});

after(async () => {
  const exit = await gateway.stop();
  assert.equal(exit.code, 0, `gateway exit: ${JSON.stringify(exit)}\n${gateway.child.stderrText.slice(-3000)}`);
  await local.stop();
  await cloud.stop();
});

test('non-streaming answer is relayed with decision headers; unknown fields reach the lane', async () => {
  await local.clear();
  const res = await postChat(gateway, chatBody({ foo_unknown_field: { x: 1 }, max_tokens: 8 }),
                             { 'x-request-id': 'test-req-1' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-request-id'), 'test-req-1');
  assert.equal(res.headers.get('x-lanewise-lane'), 'local');
  assert.match(res.headers.get('x-lanewise-decision-id'), /^dec_[0-9a-f]{24}$/);
  assert.ok(res.headers.get('x-lanewise-policy-version'));
  const body = await res.json();
  assert.equal(body.object, 'chat.completion');
  assert.equal(typeof body.choices[0].message.content, 'string');
  assert.ok(body.usage.completion_tokens > 0);
  assert.ok(body.timings, 'llama.cpp flavour carries timings');

  const seen = await local.requests();
  assert.equal(seen.length, 1);
  const sent = JSON.parse(seen[0].body);
  assert.equal(sent.model, 'tiny-random-llama', 'alias replaced by the upstream model');
  assert.deepEqual(sent.foo_unknown_field, { x: 1 });
  assert.equal(sent.max_tokens, 8);
  assert.equal(seen[0].path, '/v1/chat/completions');
});

test('the lane API key comes from the environment and reaches only its lane', async () => {
  await cloud.clear();
  await local.clear();
  const res = await postChat(gateway, chatBody({ model: 'cloud-chat' }));
  assert.equal(res.status, 200);
  await res.json();
  const seen = await cloud.requests();
  assert.equal(seen.length, 1);
  const auth = seen[0].headers.authorization ?? seen[0].headers.Authorization;
  assert.equal(auth, 'Bearer sk-test-cloud-key');
  assert.equal((await local.requests()).length, 0);
});

test('streaming relays every event in order and ends with [DONE]', async () => {
  const res = await postChat(gateway, chatBody({ stream: true, stream_options: { include_usage: true },
                                                 sim: { tokens: 12 } }));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  assert.equal(res.headers.get('x-lanewise-lane'), 'local');
  const { events, rest } = await readSse(res);
  assert.equal(rest, '');
  assert.equal(events.at(-1).data, '[DONE]');
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
  assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: null });
  const text = chunks.flatMap((c) => c.choices.map((ch) => ch.delta?.content ?? '')).join('');
  assert.ok(text.length > 0);
  const finish = chunks.find((c) => c.choices[0]?.finish_reason);
  assert.ok(['stop', 'length'].includes(finish.choices[0].finish_reason));
  const usage = chunks.find((c) => c.usage && c.choices.length === 0);
  assert.ok(usage, 'include_usage chunk relayed');
});

test('streams are relayed as they arrive, not buffered whole', async () => {
  const res = await postChat(gateway, chatBody({ stream: true,
                                                 sim: { tokens: 10, tokens_per_second: 20 } }));
  const { events } = await readSse(res);
  const content = events.filter((e) => e.data !== '[DONE]');
  assert.ok(content.length >= 10);
  // 10 tokens at 20/s take ~450 ms upstream; the first must reach us long before the last.
  assert.ok(content.at(-1).at - content[1].at >= 250,
            `first at ${content[1].at} ms, last at ${content.at(-1).at} ms`);
});

test('malformed JSON is a 400 that says where', async () => {
  const res = await postChat(gateway, '{"model":"local-chat",\n "messages": [}');
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.equal(error.type, 'invalid_request_error');
  assert.equal(error.code, 'invalid_json');
  assert.match(error.message, /line 2, column 15/);
});

test('an oversized body is a 413 in OpenAI shape', async () => {
  const big = chatBody({ messages: [{ role: 'user', content: 'x'.repeat(70000) }] });
  const res = await postChat(gateway, big);
  assert.equal(res.status, 413);
  const { error } = await res.json();
  assert.equal(error.type, 'invalid_request_error');
  assert.match(error.message, /65536/);
});

test('an unknown model is a 404 naming it', async () => {
  const res = await postChat(gateway, chatBody({ model: 'gpt-17' }));
  assert.equal(res.status, 404);
  const { error } = await res.json();
  assert.equal(error.code, 'model_not_found');
  assert.match(error.message, /gpt-17/);
});

test('lane errors pass through with their status and message', async () => {
  const res = await postChat(gateway, chatBody({ sim: { fault: 'status', status: 429 } }));
  assert.equal(res.status, 429);
  const { error } = await res.json();
  assert.ok(error.message.length > 0);
  assert.equal(res.headers.get('x-lanewise-lane'), null, 'nobody served it');
});

test('a lane that stalls past its first-byte deadline is a 504', async () => {
  const started = Date.now();
  const res = await postChat(gateway, chatBody({ sim: { fault: 'stall', stall_ms: 4000 } }));
  assert.equal(res.status, 504);
  const { error } = await res.json();
  assert.equal(error.code, 'first_byte_timeout');
  assert.ok(Date.now() - started < 3500, 'the 1500 ms deadline applied');
});

test('a lane reset before the first byte is a 502', async () => {
  const res = await postChat(gateway, chatBody({ sim: { fault: 'reset_before_first_byte' } }));
  assert.equal(res.status, 502);
  const { error } = await res.json();
  assert.equal(error.type, 'upstream_error');
});

for (const fault of ['reset_after_first_byte', 'error_event', 'truncate', 'malformed_chunk']) {
  test(`a stream broken mid-way (${fault}) ends with an error event, never [DONE]`, async () => {
    const res = await postChat(gateway, chatBody({ stream: true,
                                                   sim: { tokens: 20, fault, after_chunks: 3 } }));
    assert.equal(res.status, 200);
    const { events } = await readSse(res);
    assert.ok(events.length >= 2, 'some content arrived before the break');
    assert.ok(!events.some((e) => e.data === '[DONE]'), 'no [DONE]');
    const last = JSON.parse(events.at(-1).data);
    assert.ok(last.error, `last event is an error: ${events.at(-1).data}`);
    assert.ok(last.error.message.length > 0);
    const stops = events.slice(0, -1).map((e) => JSON.parse(e.data))
      .filter((c) => c.choices?.some((ch) => ch.finish_reason));
    assert.equal(stops.length, 0, 'no finish_reason on a broken stream');
  });
}

test('a stream that stalls mid-way hits the idle deadline and ends with an error event', async () => {
  const res = await postChat(gateway, chatBody({ stream: true,
    sim: { tokens: 20, fault: 'stall', stall_ms: 4000, stall_after_chunks: 2 } }));
  const { events } = await readSse(res);
  const last = JSON.parse(events.at(-1).data);
  assert.equal(last.error.code, 'idle_timeout');
});

test('errors found before streaming starts are plain JSON even with stream:true', async () => {
  const res = await postChat(gateway, chatBody({ stream: true, sim: { fault: 'status', status: 503 } }));
  assert.equal(res.status, 503);
  assert.match(res.headers.get('content-type'), /application\/json/);
});

test('an unreachable lane is a 502 saying which lane', async () => {
  const dead = await startSim();
  const yaml = laneConfig([{ name: 'gone', sim: dead, alias: 'local-chat' }]);
  await dead.stop();
  const gw = await startGateway(yaml);
  try {
    const res = await postChat(gw, chatBody());
    assert.equal(res.status, 502);
    const { error } = await res.json();
    assert.equal(error.code, 'lane_unreachable');
    assert.match(error.message, /lane 'gone'/);
    const ready = await fetch(`${gw.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal((await ready.json()).lanes[0].reachable, false);
  } finally {
    await gw.stop();
  }
});

test('models, health and readiness endpoints', async () => {
  const models = await (await fetch(`${gateway.url}/v1/models`)).json();
  assert.equal(models.object, 'list');
  assert.deepEqual(models.data.map((m) => m.id).sort(), ['cloud-chat', 'local-chat']);
  const health = await fetch(`${gateway.url}/healthz`);
  assert.equal(health.status, 200);
  const ready = await (await fetch(`${gateway.url}/readyz`)).json();
  assert.equal(ready.ready, true);
  assert.deepEqual(ready.lanes.map((l) => [l.name, l.reachable]).sort(),
                   [['cloud', true], ['local', true]]);
  const unknown = await fetch(`${gateway.url}/v1/nothing`);
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error.code, 'unknown_route');
});

test('every request is logged as one JSON line with its request id', async () => {
  const res = await postChat(gateway, chatBody(), { 'x-request-id': 'log-check-42' });
  await res.json();
  await new Promise((r) => setTimeout(r, 50));
  const line = gateway.logs().find((l) => l.request_id === 'log-check-42');
  assert.ok(line, 'log line present');
  assert.equal(line.status, 200);
  assert.equal(line.lane, 'local');
  assert.equal(line.model, 'local-chat');
  assert.ok(!JSON.stringify(line).includes('Say hello'), 'no prompt text in logs');
});

test('a client that disconnects mid-stream cancels its upstream request', async () => {
  const before = await local.stats();
  const controller = new AbortController();
  const res = await postChat(gateway, chatBody({ stream: true, sim: { tokens: 400, tokens_per_second: 20 } }),
                             {}).catch(() => null);
  assert.ok(res);
  const reader = res.body.getReader();
  await reader.read();
  controller.abort();
  await reader.cancel();
  // The simulator notices the gateway closing its upstream connection long before the
  // 20-second answer would have ended.
  const deadline = Date.now() + 3000;
  let after;
  do {
    await new Promise((r) => setTimeout(r, 100));
    after = await local.stats();
  } while ((after.responses_aborted ?? 0) <= (before.responses_aborted ?? 0) && Date.now() < deadline);
  assert.ok((after.responses_aborted ?? 0) > (before.responses_aborted ?? 0),
            `sim stats: ${JSON.stringify(after)}`);
});
