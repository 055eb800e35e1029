#!/usr/bin/env node
// Summarises .cpuprofile files (from `node bench/run.mjs --profile DIR`): top functions by self time
// and by inclusive time, with their file:line. Usage: node bench/lib/profile-summary.mjs FILE [TOP]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const key = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const selfBy = new Map();
const inclBy = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  selfBy.set(key(n), (selfBy.get(key(n)) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    inclBy.set(k, (inclBy.get(k) ?? 0) + t);
  }
}
const show = (title, m) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(0)} ms sampled)`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
};
show('self time', selfBy);
show('inclusive time', inclBy);

// Optional: node bench/lib/profile-summary.mjs FILE TOP NAME → the call paths leading to NAME (by self time).
const focus = process.argv[4];
if (focus) {
  const paths = new Map();
  for (const [id, t] of self) {
    if (!byId.get(id).callFrame.functionName.includes(focus)) continue;
    const chain = [];
    for (let cur = parent.get(id); cur !== undefined && chain.length < 8; cur = parent.get(cur)) chain.push(key(byId.get(cur)));
    const k = chain.join(' < ');
    paths.set(k, (paths.get(k) ?? 0) + t);
  }
  console.log(`\ncallers of ${focus}`);
  for (const [k, t] of [...paths].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
}
