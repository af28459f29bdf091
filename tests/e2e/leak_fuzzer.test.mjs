// Leak fuzzer (issue 10): nothing leaves uninspected.
//
// The shipped policy examples/hybrid.yaml runs with its `local` lane on a llama-flavoured
// simulator and its `cloud` lane on an OpenAI-flavoured one; both record every byte they
// receive. Each case sends one random request through one of the two fronts (OpenAI chat
// completions, Anthropic messages) with model `premium` (the cloud lane when the class
// allows it) and hides ONE sensitive value in a random position of the request (every
// field of both request schemas that can carry text: messages of every role, content
// parts, names, tool-call ids, tool arguments as string values, keys and numbers, tool
// results as text and as JSON, tool definitions, schemas, metadata, user, stop sequences,
// headers, unknown fields), in a random disguise (Unicode spaces, dashes, invisible
// characters, full-width forms, mixed case, JSON \u escapes inside JSON-encoded strings).
//
// What the cloud lane received is decoded (JSON inside strings too, keys, numbers as
// digits, headers) and normalised (sensitive_values.mjs: leakIndex/leakForm), and the
// test asserts:
//   - no must-not-leave value (card, IBAN, SSN, secret) reached the cloud lane in any form;
//   - no confidential value (name, e-mail, phone) reached it unredacted;
//   - every request was answered 200, except where the value sits in a field of a fixed
//     vocabulary (role, content-part type, a number where text is due): 400 in the front's
//     own error shape, and nothing sent anywhere.
//
// Knobs: LANEWISE_LEAK_CASES (default 3000), LANEWISE_LEAK_SEED, LANEWISE_LEAK_SECONDS (run
// for this long instead), LANEWISE_LEAK_VERBOSE=1 (prints each leak's request),
// LANEWISE_LEAK_CONFIG (another policy file than examples/hybrid.yaml; with
// LANEWISE_GATEWAY_BIN, an older build and its own example show which positions and
// disguises leak there: the table of leaks by position and by disguise is printed).
// LANEWISE_LEAK_EXPECT_LEAKS=1 inverts the verdict (passes when something leaked).
// scripts/privacy-soak.sh runs it long (100,000 cases and more).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import { startSim, startGateway, repoRoot } from './harness.mjs';
import {
  makeRng, mix, makeValue, leakIndex, leakForm, cardDigits, fullWidth, ZWSP, NBSP, NNBSP,
} from './sensitive_values.mjs';

const env = process.env;
const SEED = Number(env.LANEWISE_LEAK_SEED ?? 20261203) >>> 0;
const SECONDS = env.LANEWISE_LEAK_SECONDS ? Number(env.LANEWISE_LEAK_SECONDS) : 0;
// LANEWISE_LEAK_ONLY=16499,22082: replays only these cases (of the same seed).
const ONLY = env.LANEWISE_LEAK_ONLY ? env.LANEWISE_LEAK_ONLY.split(',').map(Number) : null;
const CASES = ONLY ? ONLY.length
  : env.LANEWISE_LEAK_CASES ? Number(env.LANEWISE_LEAK_CASES) : (SECONDS ? Infinity : 3000);
const VERBOSE = env.LANEWISE_LEAK_VERBOSE === '1';
const CONCURRENCY = 12;

const MUST_NOT_LEAVE = ['CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'SECRET'];
const CONFIDENTIAL = ['EMAIL_ADDRESS', 'PERSON', 'PHONE_NUMBER'];
const TYPES = [...MUST_NOT_LEAVE, ...CONFIDENTIAL];

// ---------------------------------------------------------------------------------------
// Disguises: applied to the value as written (the cue words around it stay plain).

const THIN = '\u2009';
const SEPARATOR_SWAPS = {
  nbsp: NBSP, narrow_nbsp: NNBSP, thin_space: THIN, ideographic_space: '\u3000',
  zero_width: ZWSP, word_joiner: '\u2060', hyphen: '\u2010', en_dash: '\u2013',
  minus: '\u2212', fullwidth_hyphen: '\uff0d',
};
// Separators between two digits or letters of a value, swapped for another one.
const swapSeparators = (value, to) => value.replace(/(?<=[0-9A-Za-z])[ .\-](?=[0-9A-Za-z])/g, to);

const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\ufeff'];
// An invisible character inside the value, between two of its letters or digits.
const insertInvisible = (v, rng) => {
  const spots = [...v.matchAll(/(?<=[0-9A-Za-z])(?=[0-9A-Za-z])/g)].map((m) => m.index);
  if (!spots.length) return v;
  const at = rng.pick(spots);
  return v.slice(0, at) + rng.pick(INVISIBLE) + v.slice(at);
};
const mixedCase = (v, rng) => v.replace(/[A-Za-z]/g, (c) => (rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase()));

// Structured values (digits in groups) take any separator the issue lists in place of
// their own; words (names) any space or an invisible character between them; e-mails and
// secrets keep their punctuation (a key with its dash swapped is another string).
const SEPARATED = new Set(['CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'PHONE_NUMBER']);
const WORD_SPACES = [NBSP, NNBSP, THIN, '\u3000', '\u2002', ZWSP, '\u2060'];
function disguisesFor(type) {
  const out = { none: (v) => v, fullwidth: (v) => fullWidth(v), invisible: insertInvisible };
  // Case: letter by letter where the checksum or syntax decides (IBAN, e-mail); a name is
  // written as words are (upper case, lower case, capitalised).
  if (type === 'PERSON') {
    out.upper_case = (v) => v.toUpperCase();
    out.lower_case = (v) => v.toLowerCase();
  } else if (type !== 'SECRET') {
    out.mixed_case = mixedCase;
  }
  if (SEPARATED.has(type)) {
    for (const [name, sep] of Object.entries(SEPARATOR_SWAPS)) out[name] = (v) => swapSeparators(v, sep);
  }
  if (type === 'PERSON') out.word_space = (v, rng) => v.replace(/ /g, () => rng.pick(WORD_SPACES));
  return out;
}

// JSON text the way a client library writes it, optionally escaping (json.dumps escapes
// every non-ASCII character; a hostile client escapes every digit or every character).
const ESCAPES = {
  plain: (json) => json,
  non_ascii: (json) => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  digits: (json) => json.replace(/(?<!\\u[0-9a-f]{0,3})[0-9]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
  everything_in_strings: (json) => json.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner) =>
    `"${inner.replace(/\\.|./gsu, (c) => (c.length > 1 || c.codePointAt(0) > 0xffff ? c
      : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`),
};
// Escaping text that is then parsed as JSON must give the same values back.
function jsonText(rng, value) {
  const style = rng.pick(Object.keys(ESCAPES));
  const text = ESCAPES[style](JSON.stringify(value));
  assert.deepEqual(JSON.parse(text), value, `escape style ${style} broke the JSON`);
  return { text, style };
}

// ---------------------------------------------------------------------------------------
// Positions: where the value goes, per front. Each returns the request body (and headers),
// given `t` (the value as text with its cue), `bare` (the value alone) and `item`.

const filler = (t) => `Please look at this: ${t} and tell me what to do next.`;
const tool = (description = 'Looks an order up.', properties = { order: { type: 'string' } }) =>
  ({ type: 'function', function: { name: 'lookup', description, parameters: { type: 'object', properties } } });
const oaiBase = (messages, extra = {}) => ({ model: 'premium', messages, ...extra });
const user = (content) => ({ role: 'user', content });
const callThen = (id, args, result) => [
  user('Look it up.'),
  { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'lookup', arguments: args } }] },
  { role: 'tool', tool_call_id: id, content: result },
  user('Thanks, summarise it.'),
];

// Numbers can only carry a card written as digits.
const digitsOnly = (item) => item.type === 'CREDIT_CARD' && /^[0-9]+$/.test(item.value);

const OPENAI = {
  last_user: ({ t }) => oaiBase([user(filler(t))]),
  content_part: ({ t }) => oaiBase([user([{ type: 'text', text: 'Hello.' }, { type: 'text', text: filler(t) }])]),
  system: ({ t }) => oaiBase([{ role: 'system', content: `You help ${t} today.` }, user('Hi.')]),
  developer: ({ t }) => oaiBase([{ role: 'developer', content: filler(t) }, user('Hi.')]),
  history_user: ({ t }) => oaiBase([user(filler(t)), { role: 'assistant', content: 'Noted.' }, user('Go on.')]),
  assistant: ({ t }) => oaiBase([user('Hi.'), { role: 'assistant', content: filler(t) }, user('Go on.')]),
  refusal: ({ t }) => oaiBase([user('Hi.'), { role: 'assistant', content: null, refusal: filler(t) }, user('Go on.')]),
  name: ({ bare }) => oaiBase([{ role: 'user', name: bare, content: 'Hi.' }]),
  tool_call_id: ({ bare }) => oaiBase(callThen(bare, '{"order":"A1"}', 'shipped')),
  arguments_value: ({ t, rng }) => oaiBase(callThen('call_1', jsonText(rng, { note: filler(t) }).text, 'ok')),
  arguments_key: ({ bare, rng }) => oaiBase(callThen('call_1', jsonText(rng, { [bare]: 'x' }).text, 'ok')),
  arguments_nested: ({ t, rng }) => oaiBase(callThen('call_1', jsonText(rng, { a: [{ b: { c: t } }] }).text, 'ok')),
  arguments_number: ({ bare, item }) => (digitsOnly(item)
    ? oaiBase(callThen('call_1', `{"card": ${bare}}`, 'ok')) : null),
  tool_result_text: ({ t }) => oaiBase(callThen('call_1', '{}', filler(t))),
  tool_result_json: ({ t, rng }) => oaiBase(callThen('call_1', '{}', jsonText(rng, { status: 'ok', detail: t }).text)),
  tool_result_parts: ({ t }) => oaiBase(callThen('call_1', '{}', [{ type: 'text', text: filler(t) }])),
  legacy_function_call: ({ t, rng }) => oaiBase([user('Hi.'),
    { role: 'assistant', content: null, function_call: { name: 'lookup', arguments: jsonText(rng, { q: t }).text } },
    { role: 'function', name: 'lookup', content: 'done' }, user('Go on.')]),
  metadata_value: ({ t }) => oaiBase([user('Hi.')], { metadata: { note: t } }),
  metadata_key: ({ bare }) => oaiBase([user('Hi.')], { metadata: { [bare]: 'x' } }),
  metadata_number: ({ bare, item }) => (digitsOnly(item) ? `{"model":"premium","messages":[{"role":"user","content":"Hi."}],"metadata":{"card":${bare}}}` : null),
  user_field: ({ bare }) => oaiBase([user('Hi.')], { user: bare }),
  stop: ({ bare }) => oaiBase([user('Hi.')], { stop: ['END', bare] }),
  tool_description: ({ t }) => oaiBase([user('Hi.')], { tools: [tool(`Looks up ${t}.`)] }),
  tool_parameter_key: ({ bare }) => oaiBase([user('Hi.')], { tools: [tool(undefined, { [bare]: { type: 'string' } })] }),
  tool_enum: ({ bare }) => oaiBase([user('Hi.')], { tools: [tool(undefined, { o: { type: 'string', enum: [bare] } })] }),
  tool_default: ({ bare }) => oaiBase([user('Hi.')], { tools: [tool(undefined, { o: { type: 'string', default: bare } })] }),
  response_schema: ({ t }) => oaiBase([user('Hi.')], { response_format: { type: 'json_schema',
    json_schema: { name: 'out', schema: { type: 'object', description: t, properties: { a: { type: 'string' } } } } } }),
  unknown_field: ({ t }) => oaiBase([user('Hi.')], { notes_for_model: t }),
  unknown_message_field: ({ t }) => oaiBase([{ role: 'user', content: 'Hi.', annotation: t }]),
  request_id_header: ({ bare }) => (/^[\x21-\x7e ]+$/.test(bare) // what HTTP can carry
    ? { body: oaiBase([user('Hi.')]), headers: { 'x-request-id': bare } } : null),
  // Fields of a fixed vocabulary: refused (400), nothing sent.
  role: ({ bare }) => ({ body: oaiBase([{ role: bare, content: 'Hi.' }]), refused: true }),
  part_type: ({ bare }) => ({ body: oaiBase([user([{ type: bare, text: 'Hi.' }])]), refused: true }),
  content_number: ({ bare, item }) => (digitsOnly(item)
    ? { body: `{"model":"premium","messages":[{"role":"user","content":${bare}}]}`, refused: true } : null),
};

const aBase = (messages, extra = {}) => ({ model: 'premium', max_tokens: 64, messages, ...extra });
const aUser = (content) => ({ role: 'user', content });
const aToolTurn = (id, input, result) => [
  aUser('Look it up.'),
  { role: 'assistant', content: [{ type: 'tool_use', id, name: 'lookup', input }] },
  aUser([{ type: 'tool_result', tool_use_id: id, content: result }, { type: 'text', text: 'Summarise it.' }]),
];
const aTool = (description = 'Looks an order up.', properties = { order: { type: 'string' } }) =>
  ({ name: 'lookup', description, input_schema: { type: 'object', properties } });

const ANTHROPIC = {
  system_string: ({ t }) => aBase([aUser('Hi.')], { system: `You help ${t} today.` }),
  system_blocks: ({ t }) => aBase([aUser('Hi.')], { system: [{ type: 'text', text: filler(t) }] }),
  user_text: ({ t }) => aBase([aUser(filler(t))]),
  user_block: ({ t }) => aBase([aUser([{ type: 'text', text: filler(t) }])]),
  assistant_text: ({ t }) => aBase([aUser('Hi.'), { role: 'assistant', content: filler(t) }, aUser('Go on.')]),
  tool_use_id: ({ bare }) => aBase(aToolTurn(bare, { order: 'A1' }, 'shipped')),
  tool_use_input_value: ({ t }) => aBase(aToolTurn('toolu_1', { note: filler(t) }, 'ok')),
  tool_use_input_key: ({ bare }) => aBase(aToolTurn('toolu_1', { [bare]: 'x' }, 'ok')),
  tool_use_input_number: ({ bare, item }) => (digitsOnly(item)
    ? `{"model":"premium","max_tokens":64,"messages":[{"role":"user","content":"Look it up."},` +
      `{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"card":${bare}}}]},` +
      `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"ok"}]}]}` : null),
  tool_use_input_nested: ({ t }) => aBase(aToolTurn('toolu_1', { a: [{ b: t }] }, 'ok')),
  tool_result_string: ({ t }) => aBase(aToolTurn('toolu_1', {}, filler(t))),
  tool_result_blocks: ({ t }) => aBase(aToolTurn('toolu_1', {}, [{ type: 'text', text: filler(t) }])),
  tool_result_json: ({ t, rng }) => aBase(aToolTurn('toolu_1', {}, jsonText(rng, { detail: t }).text)),
  tool_description: ({ t }) => aBase([aUser('Hi.')], { tools: [aTool(`Looks up ${t}.`)] }),
  tool_schema_key: ({ bare }) => aBase([aUser('Hi.')], { tools: [aTool(undefined, { [bare]: { type: 'string' } })] }),
  stop_sequences: ({ bare }) => aBase([aUser('Hi.')], { stop_sequences: [bare] }),
  metadata_user_id: ({ bare }) => aBase([aUser('Hi.')], { metadata: { user_id: bare } }),
  unknown_field: ({ t }) => aBase([aUser('Hi.')], { notes_for_model: t }),
  role: ({ bare }) => ({ body: aBase([{ role: bare, content: 'Hi.' }]), refused: true }),
  block_type: ({ bare }) => ({ body: aBase([aUser([{ type: bare, text: 'Hi.' }])]), refused: true }),
};
const FRONTS = { openai: { path: '/v1/chat/completions', positions: OPENAI },
                 anthropic: { path: '/v1/messages', positions: ANTHROPIC } };

// ---------------------------------------------------------------------------------------

function makeCase(index) {
  const rng = makeRng(mix(SEED, index));
  const front = rng.chance(0.6) ? 'openai' : 'anthropic';
  const { path, positions } = FRONTS[front];
  // The position first, then values until one fits it: positions that hold only some
  // forms (a card or an SSN as a JSON number) are tried as often as the others.
  let position = rng.pick(Object.keys(positions));
  for (let attempt = 1; ; ++attempt) {
    if (attempt % 200 === 0) position = rng.pick(Object.keys(positions));
    const type = rng.pick(TYPES);
    const item = makeValue(rng, type);
    const disguises = disguisesFor(type);
    const disguise = rng.pick(Object.keys(disguises));
    item.value = disguises[disguise](item.value, rng);
    const t = `${item.before}${item.value}`;
    const bare = item.before && type !== 'CREDIT_CARD' ? t : item.value;
    let built = positions[position]({ t, bare, item, rng });
    if (built === null) continue;  // the position cannot hold this form
    if (typeof built === 'string' || !('body' in built)) built = { body: built };
    const body = typeof built.body === 'string' ? built.body : JSON.stringify(built.body);
    const stream = rng.chance(0.3);
    const sent = stream ? JSON.stringify({ ...JSON.parse(body), stream: true }) : body;
    return { index, front, path, type, form: item.form, disguise, position, item, body: sent,
             headers: built.headers ?? {}, refused: built.refused === true, stream };
  }
}

// Leaks out of cases per key (position or disguise), and how many keys leaked at all.
function tally(what, leaks, keyOf, cases) {
  const leaked = {};
  for (const { c } of leaks) leaked[keyOf(c)] = (leaked[keyOf(c)] ?? 0) + 1;
  const keys = Object.keys(cases).sort();
  const lines = keys.map((k) => `  ${String(leaked[k] ?? 0).padStart(5)} / ${String(cases[k]).padStart(5)}  ${k}`);
  const some = keys.filter((k) => leaked[k]).length;
  return `leaks by ${what}: ${some} of ${keys.length} leaked at least once\n${lines.join('\n')}`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });
function post(url, path, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, {
      method: 'POST', agent,
      // `premium` is routed by capability: the quality objective sends most requests to the
      // cloud lane when the class allows it (the test counts how many it served).
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01',
                 'x-lanewise-objective': 'quality', ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text, lane: res.headers['x-lanewise-lane'] }));
    });
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

let local;
let cloud;
let gateway;

before(async () => {
  local = await startSim({ flavor: 'llama', alias: 'tiny-random-llama' });
  cloud = await startSim({ flavor: 'openai', alias: 'gpt-4o' });
  gateway = await startGateway(null, {
    configPath: env.LANEWISE_LEAK_CONFIG ?? join(repoRoot, 'examples', 'hybrid.yaml'),
    env: { LOCAL_LLM_URL: `${local.url}/v1`, CLOUD_LLM_URL: `${cloud.url}/v1`,
           CLOUD_LLM_API_KEY: 'sk-test', LANEWISE_REDACTION_KEY: 'leak-fuzzer-redaction-key-0123' },
  });
});

after(async () => {
  agent.destroy();
  await gateway?.stop();
  await local?.stop();
  await cloud?.stop();
});

test(`leak fuzzer: ${CASES === Infinity ? `${SECONDS} s` : CASES} random requests through both fronts against examples/hybrid.yaml, seed ${SEED}`, { timeout: 3_600_000 }, async () => {
  const deadline = SECONDS ? Date.now() + SECONDS * 1000 : Infinity;
  const leaks = [];
  const wrong = [];
  const seen = {};  // position -> cases
  const disguisesSeen = {};  // type/disguise -> cases
  let done = 0;
  let cloudServed = 0;
  const batchSize = 120;
  while (done < CASES && Date.now() < deadline) {
    const batch = [];
    for (let i = 0; i < batchSize && done + i < CASES; i++) {
      batch.push(makeCase(ONLY ? ONLY[done + i] : done + i));
    }
    await cloud.clear();
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const c = batch[next++];
        const res = await post(gateway.url, c.path, c.body, c.headers);
        c.status = res.status;
        if (res.lane === 'cloud') cloudServed++;
        const expected = c.refused ? 400 : 200;
        if (res.status !== expected) wrong.push({ c, text: res.text.slice(0, 300) });
        if (c.refused && res.status === 400) {
          const error = JSON.parse(res.text);
          const shaped = c.front === 'anthropic' ? error.type === 'error' && error.error?.type === 'invalid_request_error'
            : typeof error.error?.message === 'string';
          if (!shaped) wrong.push({ c, text: `not the front's error shape: ${res.text.slice(0, 200)}` });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const recorded = await cloud.requests();
    const indexes = recorded.map((r) => leakIndex(r.body));
    const headerText = recorded.map((r) => leakIndex(JSON.stringify(r.headers ?? {})));
    for (const c of batch) {
      const key = `${c.front}/${c.position}`;
      seen[key] = (seen[key] ?? 0) + 1;
      const disguise = `${c.type}/${c.disguise}`;
      disguisesSeen[disguise] = (disguisesSeen[disguise] ?? 0) + 1;
      for (const index of [...indexes, ...headerText]) {
        const form = leakForm(index, c.item);
        if (form) { leaks.push({ c, form }); break; }
      }
    }
    done += batch.length;
  }
  const describe = ({ c, form, text }) => `#${c.index} ${c.front}/${c.position} ${c.type}/${c.form} ` +
    `disguise=${c.disguise}${form ? ` leaked as ${form}` : ''} status=${c.status}` +
    `${text ? ` ${text}` : ''}${VERBOSE ? `\n    ${c.body}` : ''}`;
  const byKey = {};
  for (const l of leaks) byKey[`${l.c.front}/${l.c.position} ${l.c.type}/${l.c.disguise}`] = (byKey[`${l.c.front}/${l.c.position} ${l.c.type}/${l.c.disguise}`] ?? 0) + 1;
  console.log(`leak fuzzer: ${done} cases, ${Object.keys(seen).length} positions, ` +
              `${cloudServed} served by the cloud lane, ${leaks.length} leaks, ` +
              `${wrong.length} unexpected answers`);
  if (leaks.length) console.log(Object.entries(byKey).map(([k, n]) => `  ${n} ${k}`).join('\n'));
  console.log(tally('position', leaks, (c) => `${c.front}/${c.position}`, seen));
  console.log(tally('disguise', leaks, (c) => `${c.type}/${c.disguise}`, disguisesSeen));
  if (env.LANEWISE_LEAK_EXPECT_LEAKS === '1') {
    assert.ok(leaks.length > 0, 'expected leaks (LANEWISE_LEAK_EXPECT_LEAKS=1), found none');
    return;
  }
  // The test has power only if the cloud lane saw many requests (all but the restricted
  // and refused ones could go there).
  assert.ok(cloudServed >= done * 0.25, `only ${cloudServed} of ${done} cases reached the cloud lane`);
  if (done >= 2000) {
    const all = [...Object.keys(OPENAI).map((p) => `openai/${p}`), ...Object.keys(ANTHROPIC).map((p) => `anthropic/${p}`)];
    assert.deepEqual(all.filter((p) => !seen[p]), [], 'every position was tried');
  }
  assert.deepEqual(leaks.slice(0, 20).map(describe), [], `${leaks.length} values reached the cloud lane`);
  assert.deepEqual(wrong.slice(0, 20).map(describe), [], `${wrong.length} unexpected answers`);
});
