// Issue 11, lifecycle and resources, through the real gateway: a shutdown that cuts
// streams tells their clients and leaves every record; a reload applies what it can of
// `server:` and names what needs a restart; one huge upstream event is bounded; a client's
// bad requests do not take a lane down for everybody; config warnings and odd bytes in a
// config reach the log as valid JSON lines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { startSim, startGateway, laneConfig, readSse, chatBody, postChat, writeConfig,
         gatewayBinary } from './harness.mjs';
import { startFakeLane, sendJson, completion, chunk } from './fake_lane.mjs';

let sim;
before(async () => { sim = await startSim(); });
after(async () => { await sim?.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function postMessages(gw, body) {
  return fetch(`${gw.url}/v1/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'local-chat', max_tokens: 64,
                           messages: [{ role: 'user', content: 'Tell me a long story.' }], ...body }),
  });
}

test('SIGTERM past drain_grace_ms: cut streams end with an error event and every request is logged', async () => {
  const gw = await startGateway(laneConfig([{ name: 'local', sim, alias: 'local-chat' }],
                                           { server: '  drain_grace_ms: 300\n' }));
  // Slow answers that outlast the grace: 200 words at 20 words/s.
  await sim.configure({ tokens: 200, tokens_per_second: 20 });
  try {
    const openai = await postChat(gw, chatBody({ stream: true }), { 'x-request-id': 'cut-openai' });
    const anthropic = await postMessages(gw, { stream: true });
    const whole = postChat(gw, chatBody(), { 'x-request-id': 'cut-whole' });
    assert.equal(openai.status, 200);
    assert.equal(anthropic.status, 200);
    const readingOpenai = readSse(openai);
    const readingAnthropic = readSse(anthropic);
    await sleep(200);
    gw.child.kill('SIGTERM');

    const a = await readingOpenai;
    const last = a.events.at(-1).data;
    assert.notEqual(last, '[DONE]');
    assert.equal(JSON.parse(last).error.code, 'server_shutting_down', last);

    const b = await readingAnthropic;
    const lastAnthropic = JSON.parse(b.events.at(-1).data);
    assert.equal(lastAnthropic.type, 'error', JSON.stringify(lastAnthropic));
    assert.ok(!b.events.some((e) => JSON.parse(e.data).type === 'message_stop'));

    const cutWhole = await whole;
    assert.equal(cutWhole.status, 503);
    assert.ok(cutWhole.headers.get('retry-after'));

    const exit = await gw.child.exited;
    assert.equal(exit.code, 0, gw.child.stderrText.slice(-2000));
    const records = gw.logs().filter((l) => l.msg === 'request');
    assert.equal(records.length, 3, JSON.stringify(records));
    for (const r of records) {
      assert.equal(r.error, 'server_shutting_down', JSON.stringify(r));
      assert.ok(r.decision_id, 'the decision record is there');
    }
  } finally {
    await sim.configure({ tokens: 16, tokens_per_second: 0 });
    await gw.stop();
  }
});

test('SIGHUP applies server limits and breaker settings live and names restart-only changes', async () => {
  const yaml = (server) => laneConfig([{ name: 'local', sim, alias: 'local-chat' }], { server });
  const gw = await startGateway(yaml('  max_body_bytes: 100000\n'));
  try {
    const body = chatBody({ messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
    assert.equal((await postChat(gw, body)).status, 200);
    writeFileSync(gw.configPath, yaml('  max_body_bytes: 2000\n  io_threads: 3\n'));
    gw.child.kill('SIGHUP');
    let reloaded;
    for (let i = 0; i < 50 && !reloaded; ++i) {
      await sleep(50);
      reloaded = gw.logs().find((l) => l.msg === 'config reloaded');
    }
    assert.ok(reloaded, 'reloaded');
    assert.deepEqual(reloaded.server_applied, ['server.max_body_bytes']);
    assert.equal((await postChat(gw, body)).status, 413, 'the new limit applies at once');
    const warning = gw.logs().find((l) => l.server_needs_restart);
    assert.ok(warning, 'a restart-only change is named');
    assert.equal(warning.level, 'warn');
    assert.deepEqual(warning.server_needs_restart, ['server.io_threads']);
  } finally {
    await gw.stop();
  }
  const check = spawnSync(gatewayBinary, ['check', '--config', writeConfig(yaml(''))], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /server\.listen: needs a restart/);
  assert.match(check.stdout, /server\.lane_breaker: applied live/);
});

test('one 100 MB upstream event is bounded: an error event, and memory stays flat', async () => {
  const fake = await startFakeLane(async (req, body, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify(chunk('m', { role: 'assistant', content: '' }))}\n\n`);
    const piece = 'x'.repeat(1 << 20);
    res.write('data: {"choices":[{"index":0,"delta":{"content":"');
    for (let i = 0; i < 100 && !res.destroyed; ++i) {
      if (!res.write(piece)) await new Promise((r) => { res.once('drain', r); res.once('close', r); });
    }
    res.end('"}}]}\n\ndata: [DONE]\n\n');
  });
  const gw = await startGateway(laneConfig([{ name: 'big', sim: fake, alias: 'local-chat' }]));
  try {
    const rss = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${gw.child.pid}/status`, 'utf8'))[1]);
    await postChat(gw, chatBody());  // warm up
    const before = rss();
    const { events } = await readSse(await postChat(gw, chatBody({ stream: true })));
    const last = JSON.parse(events.at(-1).data);
    assert.equal(last.error?.code, 'upstream_event_too_large', JSON.stringify(last).slice(0, 300));
    const grown = (rss() - before) / 1024;
    console.log(`gateway peak RSS ${before / 1024} MB before, grew by ${grown.toFixed(1)} MB under a 100 MB event`);
    assert.ok(grown < 48, `peak RSS grew by ${grown} MB`);
  } finally {
    await gw.stop();
    await fake.stop();
  }
});

test('a client\'s bad requests do not open a lane\'s breaker for everybody; /readyz sees an open breaker', async () => {
  // The lane refuses "poisoned" requests the way llama.cpp refuses a body it cannot parse.
  let down = false;
  const fake = await startFakeLane((req, body, res) => {
    if (down) return sendJson(res, 503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } });
    if (body.includes('poison')) {
      return sendJson(res, 500, { error: { code: 500, type: 'server_error',
        message: "[json.exception.parse_error.101] parse error at line 1, column 90: syntax error while parsing value - invalid literal; last read: '-Infinity'" } });
    }
    return sendJson(res, 200, completion('m'));
  });
  const gw = await startGateway(laneConfig([{ name: 'only', sim: fake, alias: 'local-chat' }],
                                           { breaker: '{ failures_to_open: 2, open_ms: 60000, max_open_ms: 60000 }' }));
  try {
    let ok = 0;
    for (let round = 0; round < 5; ++round) {
      for (let i = 0; i < 3; ++i) {
        const bad = await postChat(gw, chatBody({ messages: [{ role: 'user', content: 'poison' }] }));
        assert.equal(bad.status, 500);
      }
      if ((await postChat(gw, chatBody())).status === 200) ok++;
    }
    assert.equal(ok, 5, 'other clients were served every time');
    const ready = await fetch(`${gw.url}/readyz`);
    assert.equal(ready.status, 200);

    down = true;
    for (let i = 0; i < 2; ++i) await postChat(gw, chatBody());
    const notReady = await fetch(`${gw.url}/readyz`);
    const body = await notReady.json();
    assert.equal(notReady.status, 503, JSON.stringify(body));
    assert.equal(body.lanes[0].breaker, 'open');
    assert.equal(body.lanes[0].ready, false);
    down = false;  // the lane answers again, but its breaker is still open
    const stillOpen = await (await fetch(`${gw.url}/readyz`)).json();
    assert.equal(stillOpen.ready, false, 'a probe does not override an open breaker');
    const refused = await postChat(gw, chatBody());
    assert.equal(refused.status, 502);
    assert.ok(refused.headers.get('retry-after'), 'all_allowed_lanes_down says when to retry');
  } finally {
    await gw.stop();
    await fake.stop();
  }
});

test('config warnings are logged; odd bytes in a config still give valid UTF-8 JSON log lines', async () => {
  // Raw bytes that are not UTF-8 (a Latin-1 file, a stray 0xFF) where the config allows
  // them (an alias, logged at start), then a reload whose error quotes a lane name with
  // control and stray bytes (logged by the refusal).
  const head = laneConfig([{ name: 'local', sim, alias: 'local-chat' }]) +
    '  - name: cloud\n    kind: managed\n    base_url: http://127.0.0.1:9/v1\n' +
    '    models:\n      - alias: raw-';
  const odd = Buffer.from([0xe9, 0xff, 0x80, 0x41]);
  const path = writeConfig('');
  writeFileSync(path, Buffer.concat([Buffer.from(head), odd, Buffer.from('\n        upstream: x\n')]));
  const child = spawn(gatewayBinary, ['serve', '--config', path, '--listen', '127.0.0.1:0'],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  const pieces = [];
  child.stderr.on('data', (d) => pieces.push(d));
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { if (d.toString().includes('listening')) resolve(); });
    exited.then((code) => reject(new Error(`exited ${code}: ${Buffer.concat(pieces)}`)));
  });
  writeFileSync(path, Buffer.concat([Buffer.from('lanes:\n  - name: "bad\\x01\\x1b'), odd,
                                     Buffer.from('"\n    kind: local\n    base_url: http://x/v1\n' +
                                                 '    models: [{ alias: a, upstream: b }]\n')]));
  child.kill('SIGHUP');
  for (let i = 0; i < 50 && !Buffer.concat(pieces).includes('reload refused'); ++i) await sleep(50);
  child.kill('SIGTERM');
  await exited;
  const raw = Buffer.concat(pieces);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(raw);  // throws on invalid UTF-8
  const parsed = text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
  const warning = parsed.find((l) => l.msg === 'config warning');
  assert.ok(warning, 'the managed-over-http warning is printed');
  assert.match(warning.warning, /managed lane over plain http/);
  assert.ok(parsed.some((l) => (l.models ?? []).some((m) => m.startsWith('raw-\ufffd'))));
  const refused = parsed.find((l) => l.msg?.startsWith('config reload refused'));
  assert.ok(refused, text);
  assert.match(refused.error, /bad\u0001\u001b\ufffd/);
});
