// Shared plumbing for the soak scripts: bundling a TypeScript entry with esbuild, and the emulator child.
import { build } from 'esbuild';
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'test-output', 'soak-build');

/** Bundles `entry` (relative to the repository) into test-output/soak-build and returns the file. */
export async function bundle(entry, name) {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.cjs`);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    external: ['bufferutil', 'utf-8-validate'],
  });
  return outfile;
}

/** Starts the emulator child; resolves with { child, port, connectionString, stats(gc), close() }. */
export async function startEmulatorChild(key) {
  const file = await bundle('bench/soak/emulator-child.ts', 'emulator-child');
  const child = fork(file, [], {
    execArgv: ['--expose-gc', '--max-old-space-size=4096'],
    env: { ...process.env, SOAK_KEY: key },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waitFor = (type) =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`emulator child exited (${code})`));
      const onMessage = (m) => {
        if (m.type === type) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(m);
        }
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await waitFor('ready');
  return {
    child,
    port: ready.port,
    connectionString: ready.connectionString,
    async stats(gc = false) {
      const p = waitFor('stats');
      child.send({ type: 'stats', gc });
      return (await p).stats;
    },
    async close() {
      const p = waitFor('closed');
      child.send({ type: 'close' });
      const { stats } = await p;
      child.kill('SIGTERM');
      return stats;
    },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
