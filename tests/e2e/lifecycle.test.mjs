// Gateway lifecycle: draining on SIGTERM, reloading on SIGHUP, refusing a broken config.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startSim, startGateway, laneConfig, readSse, chatBody, postChat } from './harness.mjs';

let local;
before(async () => { local = await startSim(); });
after(async () => { await local.stop(); });

test('SIGTERM drains: in-flight streams finish, then the process exits 0', async () => {
  const gw = await startGateway(laneConfig([{ name: 'local', sim: local, alias: 'local-chat' }]));
  const res = await postChat(gw, chatBody({ stream: true, sim: { tokens: 20, tokens_per_second: 25 } }));
  assert.equal(res.status, 200);
  const reading = readSse(res);
  await new Promise((r) => setTimeout(r, 150));
  gw.child.kill('SIGTERM');
  const { events } = await reading;
  assert.equal(events.at(-1).data, '[DONE]', 'the in-flight stream completed');
  const exit = await gw.child.exited;
  assert.equal(exit.code, 0, gw.child.stderrText.slice(-2000));
  await assert.rejects(fetch(`${gw.url}/healthz`), 'no longer accepting');
  assert.ok(gw.logs().some((l) => l.msg === 'draining'));
});

test('SIGHUP reloads the config; a broken config is refused and the old one keeps serving', async () => {
  const first = laneConfig([{ name: 'local', sim: local, alias: 'local-chat' }]);
  const gw = await startGateway(first);
  try {
    const v1 = (await postChat(gw, chatBody())).headers.get('x-lanewise-policy-version');

    writeFileSync(gw.configPath, laneConfig([{ name: 'local', sim: local, alias: 'renamed-chat' }]));
    gw.child.kill('SIGHUP');
    let res;
    for (let i = 0; i < 50; ++i) {
      await new Promise((r) => setTimeout(r, 50));
      res = await postChat(gw, chatBody({ model: 'renamed-chat' }));
      if (res.status === 200) break;
    }
    assert.equal(res.status, 200, 'the new alias serves after SIGHUP');
    const v2 = res.headers.get('x-lanewise-policy-version');
    assert.notEqual(v2, v1);
    assert.equal((await postChat(gw, chatBody())).status, 404, 'the old alias is gone');

    writeFileSync(gw.configPath, 'lanes:\n  - name: [broken\n');
    gw.child.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 400));
    const still = await postChat(gw, chatBody({ model: 'renamed-chat' }));
    assert.equal(still.status, 200, 'the running config keeps serving');
    assert.equal(still.headers.get('x-lanewise-policy-version'), v2);
    const refusal = gw.logs().find((l) => l.msg?.startsWith('config reload refused'));
    assert.ok(refusal, 'the refusal is logged');
    assert.match(refusal.error, /config\.yaml:\d+:\d+/);
  } finally {
    await gw.stop();
  }
});

test('a broken config at start-up exits 2 with file:line:column', async () => {
  const { spawnSync } = await import('node:child_process');
  const { gatewayBinary } = await import('./harness.mjs');
  const { writeConfig } = await import('./harness.mjs');
  const path = writeConfig('lanes:\n  - name: local\n    kind: cloud\n');
  const run = spawnSync(gatewayBinary, ['check', '--config', path], { encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /config\.yaml:3:\d+: .*kind/);
  const serve = spawnSync(gatewayBinary, ['serve', '--config', path], { encoding: 'utf8' });
  assert.equal(serve.status, 2);
});

test('editing the config file reloads it without a signal', async () => {
  const gw = await startGateway(laneConfig([{ name: 'local', sim: local, alias: 'local-chat' }]));
  try {
    writeFileSync(gw.configPath, laneConfig([{ name: 'local', sim: local, alias: 'edited-chat' }]));
    let status = 0;
    // Up to 10 s: the watcher notices within a second, but a loaded machine with the
    // sanitizers on may take longer to reload.
    for (let i = 0; i < 200 && status !== 200; ++i) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await postChat(gw, chatBody({ model: 'edited-chat' }))).status;
    }
    assert.equal(status, 200);
    assert.ok(gw.logs().some((l) => l.msg === 'config reloaded'));
  } finally {
    await gw.stop();
  }
});
