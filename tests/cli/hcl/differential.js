// differential.js - compares cshare's HCL parser with HashiCorp's (through
// @cdktf/hcl2json) on every .tf file given: both must accept or both reject
// a file, and the structures must agree.  Usage:
//   node differential.js <node_modules dir> <dump tool> FILE...
// Prints one line per disagreement and a summary; exits 1 on any.
'use strict';
const path = require('path');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { parse } = require(path.join(process.argv[2], '@cdktf/hcl2json'));
const tool = process.argv[3];
const files = process.argv.slice(4);

function ours(list) {
  const out = [];
  for (let i = 0; i < list.length; i += 200) {
    const chunk = list.slice(i, i + 200);
    const text = execFileSync(tool, ['--dump', ...chunk], { maxBuffer: 1 << 30 }).toString();
    out.push(...text.split('\n').slice(0, chunk.length));
  }
  return out;
}

// Structural comparison: numbers by value, objects by keys.
function diff(a, b, where, out) {
  if (out.length > 5) return;
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== b && Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b))) out.push(`${where}: ${a} != ${b}`);
    return;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) { out.push(`${where}: ${JSON.stringify(a).slice(0, 200)} != ${JSON.stringify(b).slice(0, 200)}`); return; }
    if (a.length !== b.length) { out.push(`${where}: length ${a.length} != ${b.length}`); return; }
    a.forEach((x, i) => diff(x, b[i], `${where}[${i}]`, out));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    for (const k of ka) if (!(k in b)) out.push(`${where}.${k}: only in cshare`);
    for (const k of kb) if (!(k in a)) out.push(`${where}.${k}: only in hcl2json`);
    for (const k of ka) if (k in b) diff(a[k], b[k], `${where}.${k}`, out);
    return;
  }
  if (a !== b) out.push(`${where}: ${JSON.stringify(a).slice(0, 300)} != ${JSON.stringify(b).slice(0, 300)}`);
}

(async () => {
  const mine = ours(files);
  let bad = 0, both_ok = 0, both_err = 0;
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    let theirs = null, terr = null;
    try { theirs = await parse(f, fs.readFileSync(f, 'utf8')); } catch (e) { terr = String(e).split('\n')[0].slice(0, 200); }
    const m = mine[i] || 'ERROR missing';
    const merr = m.startsWith('ERROR');
    if (merr && terr) { both_err++; continue; }
    if (merr !== !!terr) {
      bad++;
      console.log(`${f}: ${merr ? 'cshare rejects, hcl2json accepts' : 'cshare accepts, hcl2json rejects: ' + terr}`);
      continue;
    }
    const out = [];
    diff(JSON.parse(m), theirs, '$', out);
    if (out.length) { bad++; console.log(`${f}:\n  ${out.join('\n  ')}`); } else both_ok++;
  }
  console.log(`files ${files.length}: agree ${both_ok}, both reject ${both_err}, disagree ${bad}`);
  process.exit(bad ? 1 : 0);
})();
