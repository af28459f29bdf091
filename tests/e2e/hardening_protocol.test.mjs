// Issue 11, protocol fidelity and HTTP details, through the real gateway: what a client
// sends reaches a llama.cpp-style lane in a form it accepts, and what the lane answers
// reaches the client without losing what it said.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startSim, startGateway, laneConfig, readSse, chatBody, postChat } from './harness.mjs';
import { startFakeLane, sendJson, completion, chunk } from './fake_lane.mjs';

let sim;
let fake;
let gateway;
let fakeAnswer = null;  // (req, body, res) => void, set per test

before(async () => {
  sim = await startSim();
  fake = await startFakeLane((req, body, res) => fakeAnswer(req, body, res));
  gateway = await startGateway(laneConfig([
    { name: 'local', sim, alias: 'local-chat' },
    { name: 'gguf', sim: fake, alias: 'my-model', upstream: '/models/x.gguf' },
  ]));
});

after(async () => {
  await gateway?.stop();
  await sim?.stop();
  await fake?.stop();
});

async function postMessages(body) {
  return fetch(`${gateway.url}/v1/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'local-chat', max_tokens: 64,
                           messages: [{ role: 'user', content: 'What time is it in Paris?' }], ...body }),
  });
}

// Raw bytes over one TCP connection; resolves with everything read until the server closes
// or `idleMs` passes without data.
function rawExchange(bytes, { idleMs = 600, port = gateway.port } = {}) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let timer;
    const done = () => { clearTimeout(timer); socket.destroy(); resolve(received); };
    const arm = () => { clearTimeout(timer); timer = setTimeout(done, idleMs); };
    socket.on('connect', () => { socket.write(bytes); arm(); });
    socket.on('data', (d) => { received += d.toString('latin1'); arm(); });
    socket.on('end', done);
    socket.on('error', reject);
  });
}

const TOOLS = [
  { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
  { name: 'get_time', description: 'Time', input_schema: { type: 'object', properties: { zone: { type: 'string' } } } },
];

test('Anthropic tool_choice {type:"tool"} reaches llama.cpp as "required" with only that tool', async () => {
  await sim.clear();
  const res = await postMessages({ tools: TOOLS, tool_choice: { type: 'tool', name: 'get_time' } });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  const [seen] = await sim.requests();
  const sent = JSON.parse(seen.body);
  assert.equal(sent.tool_choice, 'required', 'llama-server reads tool_choice as a string only');
  assert.deepEqual(sent.tools.map((t) => t.function.name), ['get_time']);
  assert.equal(body.stop_reason, 'tool_use');
  assert.equal(body.content.find((b) => b.type === 'tool_use')?.name, 'get_time');

  const unknown = await postMessages({ tools: TOOLS, tool_choice: { type: 'tool', name: 'nope' } });
  assert.equal(unknown.status, 400);
  assert.match((await unknown.json()).error.message, /tool_choice\.name/);
});

test('disable_parallel_tool_use maps to parallel_tool_calls: false', async () => {
  await sim.clear();
  const res = await postMessages({ tools: TOOLS,
                                   tool_choice: { type: 'auto', disable_parallel_tool_use: true } });
  assert.equal(res.status, 200);
  const sent = JSON.parse((await sim.requests())[0].body);
  assert.equal(sent.parallel_tool_calls, false);
  assert.equal(sent.tool_choice, 'auto');
});

test('a stop sequence hit comes back as stop_reason "stop_sequence" naming it', async () => {
  await sim.configure({ mode: 'reply', reply: 'The answer is here. END of the answer and more words' });
  try {
    await sim.clear();
    const res = await postMessages({ stop_sequences: ['NEVER', 'END'] });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.stop_reason, 'stop_sequence');
    assert.equal(body.stop_sequence, 'END');
    assert.equal(body.content[0].text, 'The answer is here. ');
    assert.equal(JSON.parse((await sim.requests())[0].body).stop, undefined,
                 'the lane would drop the sequence and not say it stopped there');

    const streamed = await postMessages({ stop_sequences: ['END'], stream: true });
    const { events } = await readSse(streamed);
    const parsed = events.map((e) => JSON.parse(e.data));
    const text = parsed.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.text).join('');
    assert.equal(text, 'The answer is here. ');
    const delta = parsed.find((e) => e.type === 'message_delta');
    assert.equal(delta.delta.stop_reason, 'stop_sequence');
    assert.equal(delta.delta.stop_sequence, 'END');
    assert.equal(parsed.at(-1).type, 'message_stop');

    const none = await (await postMessages({ stop_sequences: ['ABSENT'] })).json();
    assert.equal(none.stop_reason, 'end_turn');
    assert.equal(none.stop_sequence, null);
  } finally {
    await sim.configure({ mode: 'words' });
  }
});

test('streamed message_start carries the input tokens, not 0/0', async () => {
  const res = await postMessages({ stream: true });
  const { events } = await readSse(res);
  const start = JSON.parse(events[0].data);
  assert.equal(start.type, 'message_start');
  assert.ok(start.message.usage.input_tokens > 0, JSON.stringify(start.message.usage));
});

test('answers carry the alias the client asked for, not the lane\'s model path', async () => {
  fakeAnswer = (req, body, res) => {
    const request = JSON.parse(body);
    if (!request.stream) return sendJson(res, 200, completion('/models/x.gguf'));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify(chunk('/models/x.gguf', { role: 'assistant', content: null }))}\n\n`);
    res.write(`data: ${JSON.stringify(chunk('/models/x.gguf', { content: 'Hi' }))}\n\n`);
    res.write(`data: ${JSON.stringify(chunk('/models/x.gguf', {}, 'stop'))}\n\n`);
    res.end('data: [DONE]\n\n');
  };
  const whole = await postChat(gateway, chatBody({ model: 'my-model' }));
  assert.equal((await whole.json()).model, 'my-model');
  assert.equal(JSON.parse(fake.requests.at(-1).body).model, '/models/x.gguf');
  const { events } = await readSse(await postChat(gateway, chatBody({ model: 'my-model', stream: true })));
  for (const e of events.slice(0, -1)) assert.equal(JSON.parse(e.data).model, 'my-model');
  const anthropic = await (await postMessages({ model: 'my-model' })).json();
  assert.equal(anthropic.model, 'my-model');
});

test('a lane\'s error details (n_prompt_tokens, n_ctx) and its code pass through', async () => {
  fakeAnswer = (req, body, res) => sendJson(res, 400, { error: {
    code: 400, message: 'request (3029 tokens) exceeds the available context size (2048 tokens), try increasing it',
    type: 'exceed_context_size_error', n_prompt_tokens: 3029, n_ctx: 2048 } }, { connection: 'close' });
  const res = await postChat(gateway, chatBody({ model: 'my-model' }));
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.equal(error.type, 'exceed_context_size_error');
  assert.equal(error.code, 400, 'the lane\'s code, not a gateway reason');
  assert.equal(error.n_prompt_tokens, 3029);
  assert.equal(error.n_ctx, 2048);
  const anthropic = await (await postMessages({ model: 'my-model' })).json();
  assert.equal(anthropic.error.n_prompt_tokens, 3029);
  assert.equal(anthropic.error.n_ctx, 2048);
});

test('Retry-After from a lane\'s 429 is passed on; the gateway\'s own retryable answers carry one', async () => {
  fakeAnswer = (req, body, res) => sendJson(res, 429, { error: { code: 429, message: 'slow down',
                                                                 type: 'rate_limit_error' } },
                                            { 'retry-after': '7' });
  const limited = await postChat(gateway, chatBody({ model: 'my-model' }));
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '7');
  const anthropic = await postMessages({ model: 'my-model' });
  assert.equal(anthropic.headers.get('retry-after'), '7');

  fakeAnswer = (req, body, res) => res.destroy();  // the lane is unreachable: 502, retryable
  const down = await postChat(gateway, chatBody({ model: 'my-model' }));
  assert.equal(down.status, 502);
  assert.ok(Number(down.headers.get('retry-after')) >= 1, 'a retryable 502 says when to retry');
});

test('wrong methods get 405 with Allow; HEAD gets headers only, keeping keep-alive framing', async () => {
  const wrong = await fetch(`${gateway.url}/v1/chat/completions`);
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'POST');
  assert.ok(wrong.headers.get('x-request-id'));
  const wrongModels = await fetch(`${gateway.url}/v1/models`, { method: 'DELETE' });
  assert.equal(wrongModels.status, 405);
  assert.equal(wrongModels.headers.get('allow'), 'GET, HEAD');
  assert.equal((await fetch(`${gateway.url}/nowhere`)).status, 404);

  const raw = await rawExchange('HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n' +
                                'HEAD /nowhere HTTP/1.1\r\nHost: x\r\n\r\n' +
                                'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
  assert.deepEqual(statuses, ['200', '404', '200'], raw);
  const lastBody = raw.slice(raw.lastIndexOf('\r\n\r\n') + 4);
  assert.equal(lastBody, '{"status":"ok"}', 'only the GET has a body');
});

test('400 and 413 answers carry x-request-id, param and a log line', async () => {
  const raw = await rawExchange('GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
  assert.match(raw, /^HTTP\/1\.1 400/);
  const id = raw.match(/x-request-id: (\S+)/i)?.[1];
  assert.ok(id, raw);
  const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
  assert.ok('param' in body.error);

  const big = await postChat(gateway, 'x'.repeat((1 << 20) + 10), { 'x-request-id': 'big-one' });
  assert.equal(big.status, 413);
  assert.equal(big.headers.get('x-request-id'), 'big-one');
  assert.ok('param' in (await big.json()).error);

  const invalid = await postChat(gateway, chatBody({ messages: [{ content: 'no role' }] }));
  assert.equal(invalid.status, 400);
  assert.ok(invalid.headers.get('x-request-id'));
  assert.ok('param' in (await invalid.json()).error);
  const anthropic = await postMessages({ messages: [{ role: 'system', content: 'x' }] });
  assert.equal(anthropic.status, 400);

  await new Promise((r) => setTimeout(r, 50));
  const lines = gateway.logs();
  assert.ok(lines.some((l) => l.request_id === id && l.status === 400), 'the malformed request is logged');
  assert.ok(lines.some((l) => l.request_id === 'big-one' && l.status === 413), 'the 413 is logged');
});

test('a Transfer-Encoding other than plain chunked is refused, not misread', async () => {
  const body = '{"model":"local-chat","messages":[{"role":"user","content":"hi"}]}';
  const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  for (const te of ['xchunked', 'gzip, chunked', 'chunked, gzip']) {
    const raw = await rawExchange(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n` +
                                  `Transfer-Encoding: ${te}\r\nContent-Type: application/json\r\n\r\n${chunked}`);
    const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    assert.equal(statuses.length, 1, `${te}: one answer, the body is not read as a request:\n${raw}`);
    assert.ok(statuses[0] === 400 || statuses[0] === 501, `${te}: ${raw}`);
  }
  const plain = await rawExchange(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
                                  `Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n${chunked}`);
  assert.match(plain, /^HTTP\/1\.1 200/);
});

test('the keep-alive idle timeout is configurable', async () => {
  const gw = await startGateway(laneConfig([{ name: 'local', sim, alias: 'local-chat' }],
                                           { server: '  keep_alive_idle_ms: 400\n' }));
  try {
    const started = Date.now();
    const raw = await rawExchange('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
                                  { idleMs: 5000, port: gw.port });
    const elapsed = Date.now() - started;
    assert.match(raw, /^HTTP\/1\.1 200/);
    assert.ok(elapsed < 3000, `closed after ${elapsed} ms (keep_alive_idle_ms: 400)`);
  } finally {
    await gw.stop();
  }
});
