// The `npm start` log relay alone (scripts/line-relay.ts, bundled here with esbuild) against what it replaced:
// readline on the child's pipe and one write per line. Both write to /dev/null with a synchronous write per
// call, as stdout on a terminal or pipe is written. Not one of run.mjs's scenarios; run it by hand:
//   node bench/micro/log-relay.mjs [--lines N]
import { build } from 'esbuild';
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const argv = process.argv.slice(2);
const lines = Number(argv.includes('--lines') ? argv[argv.indexOf('--lines') + 1] : 100_000);

const out = join(mkdtempSync(join(tmpdir(), 'bench-relay-')), 'line-relay.mjs');
await build({ entryPoints: [join(root, 'scripts/line-relay.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error' });
const { createLineRelay } = await import(out);

const fd = openSync('/dev/null', 'w');
let writes = 0;
const sink = {
  write(text) {
    writes++;
    writeSync(fd, text);
  },
};

// Lines as the local host writes them under load.
const line = (i) =>
  `[2026-11-30T12:00:00.${String(i % 1000).padStart(3, '0')}Z] Executed 'Functions.eventhandler' (Succeeded, Id=0f8fad5b-d9cb-469f-a165-70867728950e, Duration=1ms) 200 POST /api/eventhandler\n`;
const text = Buffer.from(Array.from({ length: lines }, (_, i) => line(i)).join(''));

/** The text in chunks of about `size` bytes, cut anywhere (as a pipe delivers it). */
function chunksOf(size) {
  const chunks = [];
  for (let at = 0; at < text.length; at += size) chunks.push(text.subarray(at, Math.min(at + size, text.length)));
  return chunks;
}

async function viaReadline(chunks) {
  const input = new PassThrough({ highWaterMark: 1 << 20 });
  const rl = createInterface({ input }).on('line', (l) => sink.write(`[functions] ${l}\n`));
  for (const c of chunks) input.write(c);
  input.end();
  await once(rl, 'close');
}

async function viaRelay(chunks) {
  const relay = createLineRelay('[functions] ', sink);
  for (const c of chunks) relay.push(c);
  relay.end();
}

async function measure(name, fn, chunks) {
  for (let i = 0; i < 3; i++) await fn(chunks); // warm-up
  writes = 0;
  const rounds = 5;
  const before = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await fn(chunks);
  const used = process.cpuUsage(before);
  const cpuMs = (used.user + used.system) / 1000 / rounds;
  return { name, cpuMs, linesPerSecond: lines / (cpuMs / 1000), writesPerRound: writes / rounds };
}

console.log(`${lines} lines of ${line(0).length} bytes; CPU ms per ${lines} lines (lower is better)`);
for (const [label, size] of [
  ['1 line per chunk', line(0).length],
  ['8 lines per chunk', line(0).length * 8],
  ['64 KiB chunks', 65536],
]) {
  const chunks = chunksOf(size);
  const old = await measure('readline + write per line', viaReadline, chunks);
  const now = await measure('line relay (write per chunk)', viaRelay, chunks);
  console.log(`${label}:`);
  for (const r of [old, now]) {
    console.log(
      `  ${r.name.padEnd(30)} ${r.cpuMs.toFixed(1).padStart(7)} ms  ${Math.round(r.linesPerSecond).toLocaleString('en').padStart(11)} lines/s  ${r.writesPerRound} writes`,
    );
  }
  console.log(`  ratio old/new: ${(old.cpuMs / now.cpuMs).toFixed(2)}x`);
}
closeSync(fd);
