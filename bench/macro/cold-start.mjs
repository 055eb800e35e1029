// Scenario 7: cold start and package size. Time from spawning the local Functions host to the first
// answered GET /api/negotiate, for the esbuild bundle (dist/functions/main.js, package.json `main`)
// against the unbundled app: functions/ + shared/ compiled by tsc to CommonJS, loaded with node_modules
// (a temp app dir whose package.json `main` points at the tsc output, node_modules symlinked).
// Page cache is warm (both read the same files just before); sizes: bundle vs tsc output + the
// production node_modules closure (what a zip deployment of the unbundled app ships).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync, symlinkSync, statSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compare, row, Missing } from '../lib/harness.mjs';
import { ROOT, DIST, functionsEnv } from '../lib/systems.mjs';
import { startNode, stop, freePort, httpRequest, SERVER_CPU } from '../lib/proc.mjs';

export const title = 'Cold start: bundle vs unbundled';

function dirStats(dir, acc = { bytes: 0, files: 0 }, skip = () => false) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (skip(p, e)) continue;
    if (e.isDirectory()) dirStats(p, acc, skip);
    else if (e.isFile()) {
      acc.bytes += statSync(p).size;
      acc.files++;
    }
  }
  return acc;
}

/** tsc → CommonJS app dir; returns { appDir, entry } or throws Missing. */
function compileUnbundled() {
  const entry = join(ROOT, 'functions/index.ts');
  if (!existsSync(entry)) throw new Missing('functions/index.ts missing');
  const appDir = mkdtempSync(join(tmpdir(), 'bench-unbundled-'));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const args = [
    tsc,
    entry,
    '--outDir',
    join(appDir, 'out'),
    '--rootDir',
    ROOT,
    '--module',
    'commonjs',
    '--moduleResolution',
    'node10',
    '--target',
    'ES2022',
    '--noEmit',
    'false',
    '--esModuleInterop',
    '--skipLibCheck',
    '--resolveJsonModule',
    '--types',
    'node',
    '--ignoreDeprecations',
    '5.0',
  ];
  try {
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    // Type errors still emit JavaScript; only a missing entry output is fatal.
    if (!existsSync(join(appDir, 'out/functions/index.js'))) throw new Error(`tsc failed: ${e.stdout?.toString().slice(0, 500)}`, { cause: e });
  }
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'bench-unbundled', main: 'out/functions/index.js' }));
  symlinkSync(join(ROOT, 'node_modules'), join(appDir, 'node_modules'), 'dir');
  const hostJson = join(ROOT, 'host.json');
  if (existsSync(hostJson)) copyFileSync(hostJson, join(appDir, 'host.json'));
  const sample = join(ROOT, 'local.settings.sample.json');
  if (existsSync(sample)) copyFileSync(sample, join(appDir, 'local.settings.sample.json'));
  return { appDir, out: join(appDir, 'out') };
}

function prodModulesStats() {
  const acc = { bytes: 0, files: 0 };
  const dirs = execFileSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').slice(1);
  for (const d of dirs) dirStats(d, acc, (p, e) => e.isDirectory() && e.name === 'node_modules'); // nested packages are listed themselves
  return { ...acc, packages: dirs.length };
}

/**
 * The floor: the same local host and first request, for a bundled app with one trivial negotiate
 * function (@azure/functions only). Node's start, the host, and undici (loaded by the library's first
 * HttpRequest) are paid by every app; only what lies above this line is the app's own.
 */
async function buildFloorApp() {
  const { build } = await import('esbuild');
  const appDir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'bench-floor', main: 'main.js' }));
  const hostJson = join(ROOT, 'host.json');
  if (existsSync(hostJson)) copyFileSync(hostJson, join(appDir, 'host.json'));
  await build({
    stdin: {
      contents:
        "import { app } from '@azure/functions';\napp.http('negotiate', { route: 'negotiate', methods: ['GET'], authLevel: 'anonymous', handler: async () => ({ jsonBody: { url: 'ws://localhost' } }) });\n",
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(appDir, 'main.js'),
    external: ['@azure/functions-core'],
    logLevel: 'error',
  });
  return appDir;
}

export async function timeToFirstAnswer(key, appDir) {
  const port = await freePort();
  const t0 = performance.now();
  const child = startNode(DIST.localHost, ['--port', String(port), '--app', appDir], { cpu: SERVER_CPU, cwd: appDir, env: functionsEnv(key, 9) });
  try {
    const deadline = Date.now() + 20000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`local host exited ${child.exitCode}: ${child.output.slice(-500)}`);
      if (Date.now() > deadline) throw new Error(`no answer in 20 s: ${child.output.slice(-500)}`);
      try {
        const r = await httpRequest(`http://127.0.0.1:${port}/api/negotiate?userId=cold`, { timeoutMs: 2000 });
        if (r.status === 200) return { ms: performance.now() - t0 };
        throw new Error(`negotiate answered ${r.status}`);
      } catch (e) {
        if (!/ECONNREFUSED/.test(e.message)) throw e;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await stop(child);
  }
}

export async function run(ctx) {
  if (!existsSync(DIST.localHost)) throw new Missing('dist/local-host/main.js missing');
  let unbundled = null;
  let unbundledError = null;
  try {
    unbundled = compileUnbundled();
  } catch (e) {
    unbundledError = e;
  }
  const floorDir = await buildFloorApp();
  const runs = ctx.quick ? 1 : 5;
  const m = await compare(ctx, 'cold start', {
    runs,
    ours: async () => {
      if (!existsSync(DIST.functions)) throw new Missing('dist/functions/main.js missing');
      const floor = await timeToFirstAnswer(ctx.key, floorDir);
      const app = await timeToFirstAnswer(ctx.key, DIST.appDir);
      return { ms: app.ms, floorMs: floor.ms };
    },
    baseline: () => {
      if (unbundledError) throw unbundledError;
      return timeToFirstAnswer(ctx.key, unbundled.appDir);
    },
  });
  row(ctx, {
    scenario: '7. Cold start (local host → first negotiate 200)',
    metric: 'ms',
    unit: 'ms',
    m,
    key: 'ms',
    better: 'lower',
    target: { op: '<=', ratio: 0.5 },
    notes: `median of ${runs}, warm page cache; baseline = tsc CommonJS output + node_modules`,
  });
  row(ctx, {
    scenario: '7. Cold start floor: one-function bundled app',
    metric: 'ms',
    unit: 'ms',
    m,
    key: 'floorMs',
    baseKey: 'ms',
    better: 'lower',
    notes: 'the same host and request for an app that is @azure/functions and one handler: Node start, host, undici; no app can go below it',
  });

  const sizes = { ours: [], baseline: [] };
  if (existsSync(DIST.functions)) {
    // The main bundle and the files it loads on demand (scripts/build.mjs: azure-identity.js, undici.js), no source maps.
    const shipped = dirStats(dirname(DIST.functions), { bytes: 0, files: 0 }, (p, e) => e.isFile() && !p.endsWith('.js'));
    sizes.ours.push({ kB: shipped.bytes / 1024, files: shipped.files });
  }
  if (unbundled) {
    const out = dirStats(unbundled.out);
    const mods = prodModulesStats();
    sizes.baseline.push({ kB: (out.bytes + mods.bytes) / 1024, files: out.files + mods.files, packages: mods.packages });
  }
  const sm = {
    ours: sizes.ours,
    baseline: sizes.baseline,
    oursError: sizes.ours.length ? null : new Missing('dist/functions/main.js missing'),
    baselineError: unbundledError,
  };
  row(ctx, {
    scenario: '7. Package size',
    metric: 'kB shipped',
    unit: 'kB',
    m: sm,
    key: 'kB',
    better: 'lower',
    notes: 'bundles (main.js + the files it loads on demand, no source maps) vs tsc output + production node_modules closure',
  });
  row(ctx, { scenario: '7. Package size', metric: 'files shipped', m: sm, key: 'files', better: 'lower', notes: '' });
  if (unbundled) rmSync(unbundled.appDir, { recursive: true, force: true });
  rmSync(floorDir, { recursive: true, force: true });
}
