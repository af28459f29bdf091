// Test harness: starts the real `lanewise` and `lanewise-sim` binaries on free loopback
// ports, waits until they listen, and stops them when the test file ends.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
const buildDir = resolve(repoRoot, process.env.LANEWISE_BUILD_DIR ?? 'build');
// LANEWISE_GATEWAY_BIN runs another gateway binary against this tree's simulator and tests
// (e.g. an older commit's build, to show what a test catches there).
export const gatewayBinary = process.env.LANEWISE_GATEWAY_BIN
  ? resolve(process.env.LANEWISE_GATEWAY_BIN) : join(buildDir, 'src', 'app', 'lanewise');
export const simBinary = join(buildDir, 'tools', 'sim', 'lanewise-sim');

const running = new Set();

function waitForListening(child, name, timeoutMs = 20000) {
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in ${timeoutMs} ms`)),
                             timeoutMs);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line);
        if (event.event === 'listening') {
          clearTimeout(timer);
          resolvePort(event.port);
        }
      } catch { /* not our line */ }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${child.stderrText}`));
    });
  });
}

function launch(binary, args, env, name) {
  const child = spawn(binary, args, { env: { ...process.env, ...env },
                                       stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderrText = '';
  child.stderr.on('data', (d) => {
    child.stderrText += d.toString();
    if (child.stderrText.length > 4 << 20) child.stderrText = child.stderrText.slice(-(1 << 20));
  });
  child.exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  running.add(child);
  child.exited.then(() => running.delete(child));
  return child;
}

export async function startSim({ flavor = 'llama', alias = 'tiny-random-llama', args = [] } = {}) {
  const child = launch(simBinary, ['--host', '127.0.0.1', '--port', '0', '--flavor', flavor,
                                   '--model-alias', alias, ...args], {}, 'lanewise-sim');
  const port = await waitForListening(child, 'lanewise-sim');
  const url = `http://127.0.0.1:${port}`;
  return {
    child, port, url,
    async requests() { return (await fetch(`${url}/__sim/requests`)).json(); },
    async clear() { await fetch(`${url}/__sim/requests`, { method: 'DELETE' }); },
    async stats() { return (await fetch(`${url}/__sim/stats`)).json(); },
    async configure(settings) {
      const r = await fetch(`${url}/__sim/config`, { method: 'POST', body: JSON.stringify(settings),
                                                    headers: { 'content-type': 'application/json' } });
      if (!r.ok) throw new Error(`sim config failed: ${r.status} ${await r.text()}`);
    },
    async stop() { child.kill('SIGTERM'); await child.exited; },
  };
}

export function writeConfig(yaml) {
  const dir = mkdtempSync(join(tmpdir(), 'lanewise-test-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, yaml);
  return path;
}

export async function startGateway(yaml, { env = {}, configPath } = {}) {
  const path = configPath ?? writeConfig(yaml);
  const child = launch(gatewayBinary, ['serve', '--config', path, '--listen', '127.0.0.1:0'], env,
                       'lanewise');
  const port = await waitForListening(child, 'lanewise');
  return {
    child, port, configPath: path,
    url: `http://127.0.0.1:${port}`,
    logs() {
      return child.stderrText.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return child.exited;
    },
  };
}

// A config with one lane per simulator: [{name, kind, sim, alias, upstream, extra}].
// The lane circuit breaker is off unless `breaker` is given (YAML flow map of
// server.lane_breaker), so that tests injecting several faults in a row stay independent.
export function laneConfig(lanes, { server = '', breaker = '{ failures_to_open: 0 }' } = {}) {
  let yaml = `server:\n  listen: 127.0.0.1:0\n  lane_breaker: ${breaker}\n${server}\nlanes:\n`;
  for (const lane of lanes) {
    yaml += `  - name: ${lane.name}\n    kind: ${lane.kind ?? 'local'}\n` +
            `    provider: openai-compatible\n    base_url: ${lane.sim.url}/v1\n`;
    if (lane.apiKeyEnv) yaml += `    api_key_env: ${lane.apiKeyEnv}\n`;
    yaml += `    deadlines: { connect_ms: ${lane.connectMs ?? 1000}, first_byte_ms: ` +
            `${lane.firstByteMs ?? 5000}, idle_ms: ${lane.idleMs ?? 5000}, total_ms: ` +
            `${lane.totalMs ?? 30000} }\n`;
    yaml += `    models:\n      - alias: ${lane.alias}\n        upstream: ${lane.upstream ?? 'tiny-random-llama'}\n`;
  }
  return yaml;
}

// Reads an SSE response body into a list of `data:` payloads, with the arrival time of each.
export async function readSse(response) {
  const decoder = new TextDecoder();
  const events = [];
  let buffer = '';
  const started = Date.now();
  for await (const piece of response.body) {
    buffer += decoder.decode(piece, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart()).join('\n');
      if (data) events.push({ data, at: Date.now() - started });
    }
  }
  return { events, rest: buffer };
}

export function chatBody(extra = {}) {
  return JSON.stringify({ model: 'local-chat',
                          messages: [{ role: 'user', content: 'Say hello to Lanewise.' }],
                          ...extra });
}

export async function postChat(gateway, body, headers = {}) {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', ...headers },
  });
}

process.on('exit', () => { for (const child of running) child.kill('SIGKILL'); });
