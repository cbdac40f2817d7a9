// test/jcs/property.js: documents for the RFC 8785 property test of
// test/suites/jcs.sh, with their digests as npm "canonicalize" (the RFC's
// co-author's implementation) computes them.
//
//   node property.js COUNT SEED OUT.csv
//
// Each CSV row: id, kind, text, identity hash, release digest, limits,
// image. kind is "doc" (text is a spelling of the document: random key order,
// random white space, numbers in another exact spelling), "alt" (another
// spelling of the previous doc: the same digests), "perm" (the previous doc
// with one array's elements swapped: other digests) or "refuse" (a number no
// double carries exactly: 22023 expected, digests empty).
'use strict';
const crypto = require('node:crypto');
const canonicalize = require('canonicalize');
const fs = require('node:fs');

const [count, seed, out] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];

// xorshift128+: the same documents for the same seed
let s0 = BigInt(seed) | 1n, s1 = BigInt(seed) * 0x9e3779b97f4a7c15n | 3n;
const M = (1n << 64n) - 1n;
function next() {
  let x = s0; const y = s1; s0 = y;
  x ^= (x << 23n) & M; x ^= x >> 17n; x ^= y ^ (y >> 26n); s1 = x;
  return Number(((s0 + s1) & M) >> 11n) / 2 ** 53;
}
const int = (n) => Math.floor(next() * n);
const pick = (a) => a[int(a.length)];

// Code points: every plane (1..16 too), controls, quotes, the BMP above the
// surrogates (sorted after supplementary ones in UTF-16), never U+0000
// (jsonb cannot store it) nor a lone surrogate.
function codePoint() {
  switch (int(8)) {
    case 0: return 1 + int(0x1f);
    case 1: return pick([0x22, 0x5c, 0x2f, 0x7f, 0x80, 0x2028, 0x2029, 0xfeff, 0xfffd, 0xffff]);
    case 2: return 0xe000 + int(0x2000);
    case 3: return 0x10000 * (1 + int(16)) + int(0x10000);
    case 4: return 0x80 + int(0xd800 - 0x80);
    default: return 0x20 + int(0x5f);
  }
}
function str(max) {
  let t = '';
  for (let i = int(max); i > 0; i--) {
    let c = codePoint();
    if (c > 0x10ffff) c = 0x10fffd;
    if (c >= 0xd800 && c <= 0xdfff) c = 0x41;
    t += String.fromCodePoint(c);
  }
  return t;
}

// Doubles of every magnitude, integers near 2^53, zeros.
function number() {
  switch (int(9)) {
    case 0: return int(1000) - 500;
    case 1: return (next() - 0.5) * 10 ** (int(40) - 20);
    case 2: {
      const b = new DataView(new ArrayBuffer(8));
      b.setUint32(0, int(2 ** 32)); b.setUint32(4, int(2 ** 32));
      const d = b.getFloat64(0);
      return Number.isFinite(d) ? d : 0.5;
    }
    case 3: return pick([1, -1]) * (2 ** 53 - int(3));
    case 4: return pick([1, -1]) * (2 ** 53 + 2 * int(3));
    case 5: return pick([0, -0, 5e-324, -5e-324, 1.7976931348623157e308, 1e21, 1e-7, 1e-6, 0.1, 1.4, 1e23, 9.999999999999997e22]);
    case 6: return Number((next() * 1000).toFixed(int(6)));
    case 7: return int(2 ** 31) * pick([1, 1024, 2 ** 20]);
    default: return Math.round(next() * 1e6) / 1e3;
  }
}

function value(depth) {
  const r = depth > 12 ? int(5) : int(8);
  switch (r) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: case 3: return number();
    case 4: return str(12);
    case 5: case 6: {
      const o = {};
      for (let i = int(6); i > 0; i--) o[str(4)] = value(depth + 1);
      return o;
    }
    default: {
      const a = [];
      for (let i = int(6); i > 0; i--) a.push(value(depth + 1));
      return a;
    }
  }
}
// Arrays and objects nest at most 32 levels in hookreg (a config {"v": doc} adds one).
function depth(v) {
  if (v === null || typeof v !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(v).map(depth));
}
function deep(v, levels) {
  for (let i = 0; i < levels && depth(v) < 31; i++) v = int(2) ? [v] : { [str(3)]: v };
  return v;
}

// An exact spelling of a double, other than its shortest form.
function spellNumber(d) {
  const t = String(d);
  if (Object.is(d, -0)) return pick(['-0', '-0.0', '0e5', '-0E-3']);
  if (d === 0) return pick(['0', '0.0', '0e0', '0E+2']);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(t);
  const [, sign, ip, fp = '', ex = '0'] = m;
  const digits = (ip + fp).replace(/^0+(?=\d)/, ''), e = Number(ex) - fp.length;   // value = digits x 10^e
  const E = e + digits.length;
  switch (int(5)) {
    case 0: return t;
    case 1: return `${sign}${digits}e${e}`;
    case 2: return `${sign}${digits}00E${e - 2}`;
    case 3: return `${sign}0.${digits}e${E >= 0 ? '+' : ''}${E}`;
    default: return e >= 0 && e < 30 ? `${sign}${digits}${'0'.repeat(e)}.000` : t;
  }
}
const ws = () => pick(['', '', ' ', '\n', '\t', ' \r\n  ']);
function spell(v) {
  if (v === null || typeof v === 'boolean') return ws() + JSON.stringify(v) + ws();
  if (typeof v === 'number') return ws() + spellNumber(v) + ws();
  if (typeof v === 'string') return ws() + JSON.stringify(v).replace(/[\u0080-\u{10ffff}]/gu,
    (c) => (int(3) ? c : [...Array(c.length).keys()].map((i) =>
      '\\u' + c.charCodeAt(i).toString(16).padStart(4, '0')).join(''))) + ws();
  if (Array.isArray(v)) return '[' + (v.length ? v.map(spell).join(',') : ws()) + ']';
  const keys = Object.keys(v).sort(() => next() - 0.5);
  return '{' + (keys.length ? keys.map((k) => spell(k) + ':' + spell(v[k])).join(',') : ws()) + '}';
}
// Swap two different elements of the first array that has them.
function permuted(v) {
  if (Array.isArray(v)) {
    for (let i = 0; i + 1 < v.length; i++)
      if (canonicalize(v[i]) !== canonicalize(v[i + 1])) {
        const c = v.slice(); [c[i], c[i + 1]] = [c[i + 1], c[i]]; return c;
      }
    for (let i = 0; i < v.length; i++) { const p = permuted(v[i]); if (p) { const c = v.slice(); c[i] = p; return c; } }
  } else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) { const p = permuted(v[k]); if (p) return { ...v, [k]: p }; }
  }
  return null;
}

const limitsChoices = [{}, { cpu: 1.5 }, { cpu: 0.25, memory: '512m' }, { cpu: '250m', timeout_seconds: 60 },
  { memory: '2Gi', timeout_seconds: 86400 }, { cpu: 2 }];
function digests(doc, limits, image) {
  const identity = crypto.createHash('sha256')
    .update(canonicalize({ identity: doc, scope: 'workspace:1', type: 'jcs.property' }), 'utf8').digest('hex');
  const config = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc : { v: doc };
  const release = 'sha256:' + crypto.createHash('sha256').update(canonicalize({
    config, digest: 'sha256:' + 'c'.repeat(64), image,
    limits: { cpu: '0.5', memory: '1g', timeout_seconds: 300, ...limits },
  }), 'utf8').digest('hex');
  return [identity, release];
}
const csv = (f) => '"' + String(f).replace(/"/g, '""') + '"';
const refusals = ['0.10000000000000001', '9007199254740993', '-9007199254740995', '1e400', '-1E400', '1e-400',
  '18446744073709551616', '333333333.33333329', '1424953923781206.25', '295147905179352825856'];

const rows = [];
let id = 0;
for (let n = 0; n < count; n++) {
  let doc = value(0);
  if (int(10) === 0) doc = deep(doc, 31);
  if (depth(doc) > 31) { n--; continue; }
  const limits = pick(limitsChoices);
  const image = 'registry.example.org/' + str(6).replace(/[\u0000-\u001f\u007f]/g, 'x');
  const [ih, rd] = digests(doc, limits, image);
  const lim = JSON.stringify(limits);
  rows.push([++id, 'doc', spell(doc), ih, rd, lim, image]);
  if (int(4) === 0) rows.push([++id, 'alt', spell(doc), ih, rd, lim, image]);
  const p = int(3) === 0 && permuted(doc);
  if (p) rows.push([++id, 'perm', spell(p), ...digests(p, limits, image), lim, image]);
  if (int(20) === 0)
    rows.push([++id, 'refuse', `{"ok": [1, 2.5], "bad": {"n": [true, ${pick(refusals)}]}}`, '', '', lim, image]);
}
fs.writeFileSync(out, rows.map((r) => r.map(csv).join(',')).join('\n') + '\n');
const kinds = {};
for (const r of rows) kinds[r[1]] = (kinds[r[1]] || 0) + 1;
console.log(JSON.stringify(kinds));
