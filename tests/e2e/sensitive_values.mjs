// Sensitive values for the gateway-level privacy tests (privacy_property.test.mjs,
// leak_fuzzer.test.mjs): deterministic randomness, generators of every detected type in its
// forms and disguises, and the leak check (what a value looks like once it reached a lane).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './harness.mjs';

// ---------------------------------------------------------------------------------------
// Deterministic randomness: one stream per scenario and per round trip, so a round trip is
// reproducible from (seed, scenario, round) whatever the concurrency did.

export function mix(a, b) {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    digits: (n) => Array.from({ length: n }, () => Math.floor(next() * 10)).join(''),
    chars: (n, alphabet) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
    shuffle: (list) => {
      const out = [...list];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
    subset: (list, p = 0.5) => list.filter(() => next() < p),
  };
  return rng;
}

// ---------------------------------------------------------------------------------------
// Sensitive values and their disguises.

export const ZWSP = '\u200b';
export const NBSP = '\u00a0';
export const NNBSP = '\u202f';
export const fullWidth = (s) => s.replace(/[0-9A-Za-z@]/g,
  (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
export const withZwsp = (rng, group) => {
  if (group.length < 2) return group;
  const at = rng.int(1, group.length - 1);
  return group.slice(0, at) + ZWSP + group.slice(at);
};
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function luhnCheckDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function cardDigits(rng) {
  const [prefix, length, groups] = rng.pick([
    ['4', 16, [4, 4, 4, 4]],
    [`5${rng.int(1, 5)}`, 16, [4, 4, 4, 4]],
    [`3${rng.pick(['4', '7'])}`, 15, [4, 6, 5]],
    ['6011', 16, [4, 4, 4, 4]],
  ]);
  const body = prefix + rng.digits(length - prefix.length - 1);
  const digits = body + luhnCheckDigit(body);
  const parts = [];
  let at = 0;
  for (const g of groups) { parts.push(digits.slice(at, at + g)); at += g; }
  return { digits, parts };
}

export function ibanOf(rng) {
  const [country, bban] = rng.pick([
    ['DE', () => rng.digits(18)],
    ['GB', () => rng.chars(4, UPPER) + rng.digits(14)],
    ['NL', () => rng.chars(4, UPPER) + rng.digits(10)],
    ['FR', () => rng.digits(23)],
    ['ES', () => rng.digits(20)],
  ]);
  const b = bban();
  const numeric = (b + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = String(98n - (BigInt(numeric) % 97n)).padStart(2, '0');
  return country + check + b;
}

export function ssnDigits(rng) {
  for (;;) {
    const area = rng.int(1, 899);
    if (area === 666) continue;
    const s = String(area).padStart(3, '0') + String(rng.int(1, 99)).padStart(2, '0') +
              String(rng.int(1, 9999)).padStart(4, '0');
    if (['078051120', '219099999', '123456789'].includes(s) || /^(\d)\1{8}$/.test(s)) continue;
    return s;
  }
}

// Calendar words are names too ("June", "Christmas") but read as dates: as ambiguous as the
// gazetteer's ambiguous words, so no generated value is one.
const CALENDAR = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august',
  'september', 'october', 'november', 'december', 'monday', 'tuesday', 'wednesday', 'thursday',
  'friday', 'saturday', 'sunday', 'christmas', 'easter']);

export function loadNames(file, limit, shape = /^[A-Z][a-z]{3,11}$/) {
  const ambiguous = new Set(readFileSync(join(repoRoot, 'data/gazetteers/ambiguous_words.tsv'), 'utf8')
    .split('\n').map((l) => l.split('\t')[0].toLowerCase()));
  for (const word of CALENDAR) ambiguous.add(word);
  const out = [];
  for (const line of readFileSync(join(repoRoot, 'data/gazetteers', file), 'utf8').split('\n')) {
    const name = line.split('\t')[0];
    if (!shape.test(name) || ambiguous.has(name.toLowerCase())) continue;
    out.push(name);
    if (out.length >= limit) break;
  }
  return out;
}
export const GIVEN = loadNames('given_names.tsv', 3000);
export const SURNAMES = loadNames('surnames.tsv', 6000);
export const ACCENTED = /^[A-Z][a-z]*[áéíóúñü][a-z]*$/;
export const GIVEN_ACCENTED = loadNames('given_names.tsv', 400, ACCENTED);
export const SURNAMES_ACCENTED = loadNames('surnames.tsv', 400, ACCENTED);

// Each generator gives {value, before, after}: the value as written, and the words around
// it that a form needs (a cue); the value is what must not leave.
export const GENERATORS = {
  CREDIT_CARD: {
    level: 3,
    forms: {
      compact: (r) => ({ value: cardDigits(r).digits }),
      space: (r) => ({ value: cardDigits(r).parts.join(' ') }),
      dash: (r) => ({ value: cardDigits(r).parts.join('-') }),
      nbsp: (r) => ({ value: cardDigits(r).parts.join(NBSP) }),
      narrow_nbsp: (r) => ({ value: cardDigits(r).parts.join(NNBSP) }),
      zwsp_in_groups: (r) => ({ value: cardDigits(r).parts.map((g) => withZwsp(r, g)).join(' ') }),
      fullwidth: (r) => ({ value: fullWidth(cardDigits(r).parts.join(' ')) }),
      fullwidth_zwsp_nbsp: (r) => ({ value: fullWidth(cardDigits(r).parts.map((g) => withZwsp(r, g)).join(NBSP)) }),
      dot: (r) => ({ value: cardDigits(r).parts.join('.') }),
      cue_compact: (r) => ({ value: cardDigits(r).digits, before: 'card number ' }),
    },
  },
  IBAN_CODE: {
    level: 3,
    forms: {
      compact: (r) => ({ value: ibanOf(r) }),
      blocks: (r) => ({ value: ibanOf(r).match(/.{1,4}/g).join(' ') }),
      lower_compact: (r) => ({ value: ibanOf(r).toLowerCase() }),
      nbsp_blocks: (r) => ({ value: ibanOf(r).match(/.{1,4}/g).join(NBSP) }),
      zwsp_blocks: (r) => ({ value: ibanOf(r).match(/.{1,4}/g).map((g) => withZwsp(r, g)).join(' ') }),
      fullwidth: (r) => ({ value: fullWidth(ibanOf(r)) }),
      dash_blocks: (r) => ({ value: ibanOf(r).match(/.{1,4}/g).join('-') }),
    },
  },
  US_SSN: {
    level: 4,
    forms: {
      dash: (r) => { const s = ssnDigits(r); return { value: `${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}` }; },
      dash_cue: (r) => { const s = ssnDigits(r); return { value: `${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`, before: 'SSN ' }; },
      dot: (r) => { const s = ssnDigits(r); return { value: `${s.slice(0, 3)}.${s.slice(3, 5)}.${s.slice(5)}` }; },
      space_cue: (r) => { const s = ssnDigits(r); return { value: `${s.slice(0, 3)} ${s.slice(3, 5)} ${s.slice(5)}`, before: 'social security number ' }; },
      compact_cue: (r) => ({ value: ssnDigits(r), before: 'SSN: ' }),
      fullwidth_dash: (r) => { const s = ssnDigits(r); return { value: fullWidth(`${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`) }; },
      zwsp_dash: (r) => { const s = ssnDigits(r); return { value: `${withZwsp(r, s.slice(0, 3))}-${s.slice(3, 5)}-${withZwsp(r, s.slice(5))}` }; },
      nbsp_cue: (r) => { const s = ssnDigits(r); return { value: `${s.slice(0, 3)}${NBSP}${s.slice(3, 5)}${NBSP}${s.slice(5)}`, before: 'SSN ' }; },
    },
  },
  EMAIL_ADDRESS: {
    level: 2,
    forms: {
      plain: (r) => ({ value: `${r.pick(GIVEN).toLowerCase()}.${r.pick(SURNAMES).toLowerCase()}${r.int(1, 999)}@${r.pick(['example.com', 'mail.example.org', 'corp.example.net', 'inbox.example.de'])}` }),
      upper: (r) => ({ value: `${r.pick(GIVEN).toUpperCase()}${r.int(1, 99)}@EXAMPLE.COM` }),
      plus_tag: (r) => ({ value: `${r.pick(SURNAMES).toLowerCase()}+billing${r.int(1, 99)}@example.org` }),
      fullwidth_at: (r) => ({ value: `${r.pick(GIVEN).toLowerCase()}${r.int(10, 99)}\uff20example.com` }),
    },
  },
  PHONE_NUMBER: {
    level: 2,
    forms: {
      us_intl: (r) => ({ value: `+1 ${r.int(201, 989)} ${r.int(200, 999)} ${r.digits(4)}` }),
      us_paren: (r) => ({ value: `(${r.int(201, 989)}) ${r.int(200, 999)}-${r.digits(4)}` }),
      us_dash_cue: (r) => ({ value: `${r.int(201, 989)}-${r.int(200, 999)}-${r.digits(4)}`, before: 'call me at ' }),
      us_dot_cue: (r) => ({ value: `${r.int(201, 989)}.${r.int(200, 999)}.${r.digits(4)}`, before: 'phone ' }),
      uk: (r) => ({ value: `+44 20 ${r.int(7000, 8999)} ${r.digits(4)}` }),
      de: (r) => ({ value: `+49 30 ${r.int(1000, 9999)} ${r.digits(4)}` }),
      fr_cue: (r) => ({ value: `+33 ${r.int(1, 9)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`, before: 'mobile ' }),
      nbsp_intl: (r) => ({ value: `+1${NBSP}${r.int(201, 989)}${NBSP}${r.int(200, 999)}${NBSP}${r.digits(4)}` }),
      fullwidth_cue: (r) => ({ value: fullWidth(`${r.int(201, 989)}-${r.int(200, 999)}-${r.digits(4)}`), before: 'call ' }),
    },
  },
  PERSON: {
    level: 2,
    forms: {
      full_name: (r) => ({ value: `${r.pick(GIVEN)} ${r.pick(SURNAMES)}`, before: 'with ' }),
      titled: (r) => ({ value: `${r.pick(GIVEN)} ${r.pick(SURNAMES)}`, before: 'Dr. ' }),
      cue: (r) => ({ value: `${r.pick(GIVEN)} ${r.pick(SURNAMES)}`, before: 'my name is ' }),
      titled_surname: (r) => ({ value: r.pick(SURNAMES), before: 'Mrs. ' }),
      accented: (r) => ({ value: `${r.pick(GIVEN_ACCENTED)} ${r.pick(SURNAMES_ACCENTED)}`, before: 'with ' }),
      // e + combining acute: the normaliser composes, spans still cover the original bytes
      accented_nfd: (r) => ({ value: `${r.pick(GIVEN_ACCENTED)} ${r.pick(SURNAMES_ACCENTED)}`.normalize('NFD'), before: 'Dr. ' }),
    },
  },
  SECRET: {
    level: 4,
    forms: {
      aws_key: (r) => ({ value: 'AKIA' + r.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') }),
      github_token: (r) => ({ value: 'ghp_' + r.chars(36, ALNUM) }),
      stripe_key: (r) => ({ value: 'sk_live_' + r.chars(24, ALNUM) }),
      slack_token: (r) => ({ value: `xoxb-${r.digits(12)}-${r.digits(13)}-${r.chars(24, ALNUM)}` }),
      openai_key: (r) => ({ value: 'sk-proj-' + r.chars(40, ALNUM) }),
      password: (r) => ({ value: r.chars(6, ALNUM) + r.int(10, 99) + r.pick(['!', '#', '%']) + r.chars(3, UPPER), before: 'password: ' }),
      // characters that JSON escapes: inside tool-call arguments the value is written escaped
      password_quotes: (r) => ({ value: r.chars(5, ALNUM) + r.pick(['"', '\\']) + r.int(10, 99) + r.pick(['"', '\\', '/']) + r.chars(4, ALNUM), before: 'password: ' }),
    },
  },
};
export const TYPES = Object.keys(GENERATORS);
export const NUMERIC_TYPES = new Set(['CREDIT_CARD', 'US_SSN', 'PHONE_NUMBER']);

export function makeValue(rng, type, form) {
  const g = GENERATORS[type];
  form ??= rng.pick(Object.keys(g.forms));
  const { value, before = '' } = g.forms[form](rng);
  return { type, form, value, before };
}

// The normaliser's view (NFKC, format characters removed, every script's digits as ASCII,
// space separators as spaces, dashes as '-'), lower-cased: what a leak looks like.
export function normalise(s) {
  return s.normalize('NFKC').replace(/\p{Cf}/gu, '')
    .replace(/\p{Nd}/gu, (d) => {
      const code = d.codePointAt(0);
      for (let zero = code; zero > code - 10; zero--) {
        if (!/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) return String(code - zero);
      }
      return d;
    })
    .replace(/\p{Zs}/gu, ' ').replace(/[\p{Pd}\u2212]/gu, '-').toLowerCase();
}
export const digitsOnly = (s) => s.replace(/[^0-9]/g, '');
export const alnumOnly = (s) => s.replace(/[^0-9a-z]/g, '');

// Every string inside a JSON value, and inside strings that are themselves JSON (tool-call
// arguments).
export function stringsOf(node, out = []) {
  if (typeof node === 'string') {
    out.push(node);
    if (/^\s*[{[]/.test(node)) { try { stringsOf(JSON.parse(node), out); } catch { /* text */ } }
  } else if (Array.isArray(node)) {
    for (const item of node) stringsOf(item, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) { out.push(k); stringsOf(v, out); }
  }
  return out;
}

// The haystacks of one recorded body, built once.
export function leakIndex(rawBody) {
  let parsed = null;
  try { parsed = JSON.parse(rawBody); } catch { /* checked as text only */ }
  const strings = parsed ? stringsOf(parsed) : [rawBody];
  const norm = strings.map(normalise);
  return { raw: rawBody, norm, digits: norm.map(digitsOnly), alnum: norm.map(alnumOnly) };
}

// A name as a whole word: "Lee" inside "sleep", or "Conte" inside a recorded
// "Content-Type" header, is no leak.
function nameWord(name) {
  return new RegExp(`(^|[^\\p{L}])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u');
}

// The form in which `item` appears in a recorded body, or null.
export function leakForm(index, item) {
  if (item.type === 'PERSON') {  // a name is a word
    if (nameWord(item.value).test(index.raw)) return 'raw';
    const word = nameWord(normalise(item.value));
    return index.norm.some((s) => word.test(s)) ? 'normalised' : null;
  }
  if (index.raw.includes(item.value)) return 'raw';
  const v = normalise(item.value);
  if (index.norm.some((s) => s.includes(v))) return 'normalised';
  if (NUMERIC_TYPES.has(item.type)) {
    const d = digitsOnly(v);
    if (d.length >= 9 && index.digits.some((s) => s.includes(d))) return 'digits_only';
  } else {
    const a = alnumOnly(v);
    if (a.length >= 8 && index.alnum.some((s) => s.includes(a))) return 'letters_digits_only';
  }
  return null;
}

