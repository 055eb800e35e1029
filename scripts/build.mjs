// One build for everything: esbuild bundles each entry point into dist/.
// Entry points that do not exist yet are skipped, so a partial checkout still builds.
// Usage: node scripts/build.mjs [--watch]
import { build, context } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  // The Functions app. @azure/functions-core is supplied at run time by the Functions worker
  // (or by local-host/), so it must stay external (azure-functions-nodejs-library#201).
  { ...node, entryPoints: ['functions/index.ts'], outfile: 'dist/functions/main.js', external: ['@azure/functions-core'] },
  { ...node, entryPoints: ['emulator/main.ts'], outfile: 'dist/emulator/main.js', external: ['bufferutil', 'utf-8-validate'] },
  { ...node, entryPoints: ['local-host/main.ts'], outfile: 'dist/local-host/main.js', external: ['@azure/functions-core'] },
  { ...node, entryPoints: ['scripts/start.ts'], outfile: 'dist/start.js' },
  // The chat page: a browser bundle.
  { bundle: true, platform: 'browser', target: 'es2020', format: 'iife', sourcemap: true, minify: true, logLevel: 'warning', entryPoints: ['web/chat.ts'], outfile: 'dist/web/chat.js' },
].filter((t) => existsSync(join(root, t.entryPoints[0])));

function copyStatic() {
  const from = join(root, 'web');
  if (!existsSync(from)) return;
  mkdirSync(join(root, 'dist/web'), { recursive: true });
  for (const f of readdirSync(from)) {
    if (/\.(html|css|svg|ico|png)$/.test(f)) cpSync(join(from, f), join(root, 'dist/web', f));
  }
}

process.chdir(root);
if (!watch) rmSync(join(root, 'dist'), { recursive: true, force: true });
copyStatic();
if (watch) {
  for (const t of targets) await (await context(t)).watch();
  console.log(`watching ${targets.length} entry points`);
} else {
  const started = Date.now();
  await Promise.all(targets.map((t) => build(t)));
  console.log(`built ${targets.length} bundles into dist/ in ${Date.now() - started} ms`);
}
