// test/jcs/snippets.js DOC.md: the JavaScript snippet of doc/digests.md
// (between "<!-- test: digests-javascript -->" and the end of the next code
// block) over the JSON lines on standard input, as snippets.py does.
'use strict';
const fs = require('node:fs');
const vm = require('node:vm');

const doc = fs.readFileSync(process.argv[2], 'utf8');
const m = /<!-- test: digests-javascript -->\s*```javascript\n([\s\S]*?)```/.exec(doc);
if (!m) { console.error('no JavaScript snippet in ' + process.argv[2]); process.exit(1); }
const sandbox = { require, console };
vm.runInNewContext(m[1] + '\nthis.releaseDigest = releaseDigest; this.runIdentityHash = runIdentityHash;',
  sandbox, { filename: process.argv[2] + ' (JavaScript snippet)' });

let checked = 0, bad = 0;
for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
  if (!line) continue;
  const row = JSON.parse(line);
  const value = JSON.parse(row.text);
  const config = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { v: value };
  const got = [sandbox.runIdentityHash(1, null, 'jcs.property', value),
    sandbox.releaseDigest(row.image, 'sha256:' + 'c'.repeat(64), config, JSON.parse(row.limits))];
  checked++;
  if (got[0] !== row.ih || got[1] !== row.rd) {
    bad++;
    if (bad <= 3) console.error(`mismatch for ${row.text.slice(0, 200)}: ${got}, database ${row.ih},${row.rd}`);
  }
}
console.log(checked, bad);
