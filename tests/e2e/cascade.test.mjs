// Cascades end to end (docs/policy.md, "Cascades") with the official `openai` and
// `@anthropic-ai/sdk` clients: the simulator's local lane answers with chosen token
// logprobs; a confident answer stays local (logprobs asked for by the gateway, stripped
// from the answer), a doubtful, refused or truncated one escalates to the cloud lane,
// redacted when the class says so and never for a restricted request; streamed answers
// are judged before the first byte, and the client gets exactly one answer.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startSim, startGateway, laneConfig, repoRoot, readSse, postChat } from './harness.mjs';

let local;
let cloud;
let gateway;
let openai;
let anthropic;

const EMAIL = 'maria.garcia@example.com';
const CARD = '4111 1111 1111 1111';
const CONFIDENT = [-0.05];               // every token: exp(-0.05) ~ 0.951
const DOUBTFUL = [-0.9, -1.6, -2.2];      // exp(mean) ~ 0.212

before(async () => {
  local = await startSim();
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o' });
  const yaml = laneConfig([
    { name: 'local', sim: local, alias: 'local-chat' },
    { name: 'cloud', kind: 'managed', sim: cloud, alias: 'premium', upstream: 'gpt-4o', apiKeyEnv: 'CLOUD_KEY' },
  ]).replace('upstream: gpt-4o\n', 'upstream: gpt-4o\n    price: { input_per_mtok: 2.5, output_per_mtok: 10 }\n') + `policy:
  data_classes:
    - { name: public, crossing: allow }
    - { name: confidential, crossing: { managed: redact } }
    - { name: restricted, lanes: [local], crossing: deny }
  classification:
    by_entity:
      - { types: [CREDIT_CARD], class: restricted }
      - { types: [EMAIL_ADDRESS], class: confidential }
  rules:
    - name: cascade
      when: { models: [auto] }
      route: { strategy: cascade, first: local, then: cloud, threshold: 0.6 }
  inspection: { gazetteer_dir: "${join(repoRoot, 'data', 'gazetteers')}" }
`;
  gateway = await startGateway(yaml, { env: { CLOUD_KEY: 'sk-test' } });
  openai = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'unused', baseURL: gateway.url, maxRetries: 0 });
});

after(async () => {
  await gateway.stop();
  await local.stop();
  await cloud.stop();
});

beforeEach(async () => {
  await local.configure({ reply: 'The local lane says four.', token_logprobs: CONFIDENT, fault: 'none',
                          weak_lane: false });
  await cloud.configure({ reply: 'The cloud lane says four.', fault: 'none' });
  await local.clear();
  await cloud.clear();
});

const ask = (content, extra = {}) => ({ model: 'auto', messages: [{ role: 'user', content }], ...extra });
// The request's log line (written once its response has ended: waited for).
async function logFor(response) {
  const id = response.headers.get('x-request-id');
  for (let i = 0; i < 100; i++) {
    const line = gateway.logs().find((l) => l.request_id === id && l.path);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no log line for ${id}`);
}

test('a confident local answer is kept; logprobs are asked for and stripped', async () => {
  const { data, response } = await openai.chat.completions.create(ask('What is 2 + 2?')).withResponse();
  assert.equal(data.choices[0].message.content, 'The local lane says four.');
  assert.equal(data.choices[0].logprobs ?? null, null);
  assert.equal(response.headers.get('x-lanewise-lane'), 'local');
  assert.equal(response.headers.get('x-lanewise-cascade'), 'accepted');
  const confidence = Number(response.headers.get('x-lanewise-confidence'));
  assert.ok(Math.abs(confidence - Math.exp(-0.05)) < 1e-3, `confidence ${confidence}`);
  assert.equal(response.headers.get('x-lanewise-cascade-threshold'), '0.6000');
  const sent = await local.requests();
  assert.equal(sent.length, 1);
  assert.equal(JSON.parse(sent[0].body).logprobs, true);
  assert.equal((await cloud.requests()).length, 0);
});

test('a client that asks for logprobs gets the lane\'s, in the wire shape', async () => {
  const data = await openai.chat.completions.create(ask('What is 2 + 2?', { logprobs: true }));
  const content = data.choices[0].logprobs.content;
  assert.ok(content.length > 0);
  assert.ok(Math.abs(content[0].logprob - CONFIDENT[0]) < 1e-9, JSON.stringify(content[0]));
});

test('a doubtful local answer escalates; the record has both attempts and costs', async () => {
  await local.configure({ token_logprobs: DOUBTFUL });
  const { data, response } = await openai.chat.completions.create(ask('Prove Fermat\'s last theorem.')).withResponse();
  assert.equal(data.choices[0].message.content, 'The cloud lane says four.');
  assert.equal(data.choices[0].logprobs ?? null, null);
  assert.equal(response.headers.get('x-lanewise-lane'), 'cloud');
  assert.equal(response.headers.get('x-lanewise-cascade'), 'escalated');
  assert.equal(response.headers.get('x-lanewise-cascade-reason'), 'low_confidence');
  assert.ok(Number(response.headers.get('x-lanewise-confidence')) < 0.25);
  const cloudSent = await cloud.requests();
  assert.equal(cloudSent.length, 1);
  assert.equal(JSON.parse(cloudSent[0].body).logprobs, undefined);  // the escalation is not judged
  const log = await logFor(response);
  assert.equal(log.cascade.verdict, 'escalated');
  assert.equal(log.cascade.threshold, 0.6);
  assert.ok(log.cascade.confidence < 0.25);
  assert.deepEqual(log.attempts.map((a) => [a.lane, a.role, a.outcome]),
                   [['local', 'primary', 'escalated'], ['cloud', 'escalation', 'ok']]);
  assert.equal(log.attempts[0].escalated_because, 'low_confidence');
  assert.ok(log.attempts[1].estimated_cost_usd > 0);
  assert.equal(log.attempts[0].estimated_cost_usd, 0);
});

test('a refusal and a truncated answer escalate whatever their confidence', async () => {
  await local.configure({ reply: "I'm sorry, but I can't help with that." });
  let r = await postChat(gateway, JSON.stringify(ask('Tell me a story.')));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-lanewise-cascade-reason'), 'refusal');
  assert.equal(r.headers.get('x-lanewise-lane'), 'cloud');
  await local.configure({ mode: 'words', tokens: 40 });
  r = await postChat(gateway, JSON.stringify(ask('Tell me a story.', { max_tokens: 5 })));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-lanewise-cascade-reason'), 'truncated');
  // Escalations are counted by reason in /metrics.
  const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
  const count = (reason) => Number(
    metrics.match(new RegExp(`^lanewise_escalations_total\\{reason="${reason}"\\} (\\d+)`, 'm'))?.[1] ?? 0);
  assert.ok(count('refusal') >= 1, metrics.split('\n').filter((l) => l.includes('escalations')).join('\n'));
  assert.ok(count('truncated') >= 1);
});

test('the escalation of a confidential request reaches the cloud redacted, restored for the client', async () => {
  await local.configure({ token_logprobs: DOUBTFUL });
  await cloud.configure({ mode: 'echo' });
  const { data, response } = await openai.chat.completions
    .create(ask(`Draft a reply to ${EMAIL} about the invoice.`)).withResponse();
  assert.equal(response.headers.get('x-lanewise-data-class'), 'confidential');
  assert.equal(response.headers.get('x-lanewise-lane'), 'cloud');
  const cloudSent = await cloud.requests();
  assert.equal(cloudSent.length, 1);
  assert.ok(!cloudSent[0].body.includes(EMAIL), 'the cloud lane received the e-mail address');
  assert.match(cloudSent[0].body, /\[EMAIL_ADDRESS_[0-9a-f]{8}\]/);
  assert.ok(data.choices[0].message.content.includes(EMAIL), data.choices[0].message.content);
  // The local lane saw the value in the clear (local lanes may).
  assert.ok((await local.requests())[0].body.includes(EMAIL));
});

test('a restricted request never escalates, however doubtful its answer', async () => {
  await local.configure({ token_logprobs: DOUBTFUL });
  const { data, response } = await openai.chat.completions
    .create(ask(`Charge the card ${CARD} for the invoice.`)).withResponse();
  assert.equal(response.headers.get('x-lanewise-data-class'), 'restricted');
  assert.equal(response.headers.get('x-lanewise-lane'), 'local');
  assert.equal(response.headers.get('x-lanewise-cascade'), null);  // nothing to escalate to
  assert.equal(data.choices[0].message.content, 'The local lane says four.');
  assert.equal((await cloud.requests()).length, 0);
  assert.equal(JSON.parse((await local.requests())[0].body).logprobs, undefined);
});

test('when the escalation fails, the first answer is served', async () => {
  await local.configure({ token_logprobs: DOUBTFUL });
  await cloud.configure({ fault: 'status', status: 503 });
  const { data, response } = await openai.chat.completions.create(ask('Hard question')).withResponse();
  assert.equal(data.choices[0].message.content, 'The local lane says four.');
  assert.equal(response.headers.get('x-lanewise-lane'), 'local');
  assert.equal(response.headers.get('x-lanewise-cascade'), 'escalation_failed');
});

async function streamText(stream) {
  let text = '';
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.choices[0]?.logprobs ?? null, null, 'a chunk carried logprobs');
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  return { text, chunks };
}

test('streamed: a confident answer is released whole, without logprobs', async () => {
  const { data: stream, response } = await openai.chat.completions
    .create(ask('What is 2 + 2?', { stream: true })).withResponse();
  assert.equal(response.headers.get('x-lanewise-cascade'), 'accepted');
  assert.equal(response.headers.get('x-lanewise-lane'), 'local');
  const { text } = await streamText(stream);
  assert.equal(text, 'The local lane says four.');
  assert.equal((await cloud.requests()).length, 0);
});

test('streamed: a doubtful answer is never shown; the client gets only the escalation', async () => {
  await local.configure({ token_logprobs: DOUBTFUL });
  const { data: stream, response } = await openai.chat.completions
    .create(ask('Prove it.', { stream: true })).withResponse();
  assert.equal(response.headers.get('x-lanewise-cascade'), 'escalated');
  assert.equal(response.headers.get('x-lanewise-lane'), 'cloud');
  const { text } = await streamText(stream);
  assert.equal(text, 'The cloud lane says four.');
  // Raw SSE: exactly one [DONE], no local text.
  const raw = await postChat(gateway, JSON.stringify(ask('Prove it.', { stream: true })));
  const { events } = await readSse(raw);
  assert.equal(events.filter((e) => e.data === '[DONE]').length, 1);
  assert.ok(!events.some((e) => e.data.includes('local lane')));
});

test('Anthropic clients: escalation whole and streamed, no logprobs anywhere', async () => {
  await local.configure({ token_logprobs: DOUBTFUL });
  const { data, response } = await anthropic.messages
    .create({ model: 'auto', max_tokens: 64, messages: [{ role: 'user', content: 'Prove it.' }] })
    .withResponse();
  assert.equal(response.headers.get('x-lanewise-lane'), 'cloud');
  assert.equal(data.content[0].text, 'The cloud lane says four.');
  await local.configure({ token_logprobs: CONFIDENT });
  const stream = anthropic.messages.stream({ model: 'auto', max_tokens: 64,
                                             messages: [{ role: 'user', content: 'What is 2 + 2?' }] });
  const message = await stream.finalMessage();
  assert.equal(message.content[0].text, 'The local lane says four.');
  assert.equal(JSON.parse((await local.requests()).at(-1).body).logprobs, true);
});

// The simulator's weak lane (bench/cascade_eval.sh): answers of varied confidence, judged
// one by one; fork rates chosen so that confidences straddle the threshold 0.6.
test('a weak lane\'s answers: each kept or escalated by its own confidence', async () => {
  await local.configure({ mode: 'words', tokens: 40,
                          weak_lane: { seed: 3, right_fork_rate: 0.3, wrong_fork_rate: 0.6 } });
  const seen = { accepted: 0, escalated: 0 };
  for (let i = 0; i < 24; i++) {
    const { data, response } = await openai.chat.completions
      .create(ask(`Word problem ${i}: how many apples are left?`)).withResponse();
    const verdict = response.headers.get('x-lanewise-cascade');
    const confidence = Number(response.headers.get('x-lanewise-confidence'));
    const content = data.choices[0].message.content;
    seen[verdict] += 1;
    if (verdict === 'accepted') {
      assert.ok(confidence >= 0.6, `kept at ${confidence}`);
      assert.match(content, / \[weak:(right|wrong)\]$/);
    } else {
      assert.equal(verdict, 'escalated');
      assert.ok(confidence < 0.6, `escalated at ${confidence}`);
      assert.equal(content, 'The cloud lane says four.');
    }
  }
  assert.ok(seen.accepted > 0 && seen.escalated > 0, JSON.stringify(seen));
});

test('explain shows the cascade: first, then, the threshold', async () => {
  const res = await fetch(`${gateway.url}/v1/lanewise/explain`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ask('hi')) });
  assert.equal(res.status, 200);
  const e = await res.json();
  assert.deepEqual(e.candidates.map((c) => [c.lane, c.role, c.outcome]),
                   [['local', 'first', 'chosen'], ['cloud', 'then', 'escalation']]);
  assert.equal(e.decision.cascade.threshold, 0.6);
  assert.deepEqual(e.decision.plan.map((a) => [a.lane, a.role, a.verify]),
                   [['local', 'primary', true], ['cloud', 'escalation', false]]);
});
