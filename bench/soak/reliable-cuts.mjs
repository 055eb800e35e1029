#!/usr/bin/env node
// Full-size reliable-cuts run: npm run build && node bench/soak/reliable-cuts.mjs [--clients 100] [--messages 1000]
// Writes bench/soak/results/reliable-cuts-latest.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, root } from './lib.mjs';

const file = await bundle('bench/soak/reliable-cuts-entry.ts', 'reliable-cuts');
let out;
let code = 0;
try {
  out = execFileSync(process.execPath, [file, ...process.argv.slice(2)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 });
} catch (e) {
  out = e.stdout ?? '';
  code = 1;
}
const line = out.trim().split('\n').pop() ?? '{}';
mkdirSync(join(root, 'bench', 'soak', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'soak', 'results', 'reliable-cuts-latest.json'), `${line}\n`);
process.stdout.write(`${line}\n`);
process.exit(code);
