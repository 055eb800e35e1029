#!/usr/bin/env node
// npm run bench [-- --quick] [-- --only fanout,connect] [-- --runs N] [-- --out DIR] [-- --profile DIR [--profile-baselines]]
// npm run bench -- --soak [hold.mjs options]   the load/soak runs of bench/soak/ instead (about 6 minutes)
// Every figure is a ratio to a baseline measured in this run on this machine. Loopback only, every loop
// bounded; the system under test is pinned to core 0, load generators (and this process) to core 1.
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { canPin, pinSelf, LOAD_CPU, stopAll, killChildrenSync } from './lib/proc.mjs';
import { devAccessKey } from './lib/jwt.mjs';
import { firstLine } from './lib/harness.mjs';
import { renderResultsFile, renderTable } from './lib/report.mjs';
import { snapshotDist } from './lib/systems.mjs';
import { SCENARIOS, QUICK_BUDGET_MS, FULL_BUDGET_MS } from './lib/scenarios.mjs';

const argv = process.argv.slice(2);
if (argv.includes('--soak')) {
  // Soak and reliability-under-cuts runs (bench/soak/): not ratios, guardrails (memory, fds, handles, loss).
  const { spawnSync } = await import('node:child_process');
  const rest = argv.filter((a) => a !== '--soak');
  for (const script of ['soak/hold.mjs', 'soak/reliable-cuts.mjs']) {
    const r = spawnSync(process.execPath, [fileURLToPath(new URL(`./${script}`, import.meta.url)), ...(script === 'soak/hold.mjs' ? rest : [])], {
      stdio: 'inherit',
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  process.exit(0);
}
const quick = argv.includes('--quick');
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const only = opt('--only')?.split(',');
const runs = Number(opt('--runs') ?? (quick ? 1 : 3));
if (opt('--profile')) process.env.BENCH_PROFILE_DIR = opt('--profile');
if (argv.includes('--profile-baselines')) process.env.BENCH_PROFILE_BASELINES = '1';
const unknown = only?.filter((id) => !SCENARIOS.some(([known]) => known === id)) ?? [];
if (unknown.length) {
  process.stderr.write(`unknown scenario id(s) for --only: ${unknown.join(', ')}; the ids are ${SCENARIOS.map(([id]) => id).join(', ')}\n`);
  process.exit(2);
}
// A full run measures every scenario (its budget only guards against a run gone wrong); a quick run is held
// to its budget (bench/lib/scenarios.mjs).
const budgetMs = quick ? QUICK_BUDGET_MS : FULL_BUDGET_MS;

const root = fileURLToPath(new URL('../', import.meta.url));
const started = Date.now();
// Disturbed runs are repeated (at most `retries` times each) only while the run is young enough to stay
// inside its time budget.
const ctx = {
  quick,
  runs,
  retries: Number(opt('--retries') ?? (quick ? 0 : 1)),
  retryUntil: started + budgetMs * 0.6,
  key: devAccessKey(),
  rows: [],
  raw: {},
  skipped: [],
  log: (s) => process.stderr.write(`${s}\n`),
};

process.on('SIGINT', () => {
  killChildrenSync();
  process.exit(130);
});
process.on('exit', killChildrenSync);
pinSelf(LOAD_CPU);

ctx.log(
  `bench: ${quick ? 'quick' : 'full'} mode, ${runs} run(s) per side, ${canPin ? 'server on cpu0, load on cpu1 (taskset)' : 'UNPINNED (taskset missing or < 2 cores)'}`,
);
ctx.log(`snapshot of dist/ in bench/.snapshot: ${snapshotDist().join(', ') || 'nothing built'}`);
const scenarioSeconds = {};
for (const [id, path] of SCENARIOS) {
  if (only && !only.includes(id)) continue;
  if (Date.now() - started > budgetMs) {
    ctx.skipped.push(`${id}: time budget used up (${budgetMs / 1000} s)`);
    ctx.log(`skipping ${id}: time budget used up (${budgetMs / 1000} s)`);
    continue;
  }
  const t0 = Date.now();
  try {
    const mod = await import(path);
    ctx.log(`\n== ${id}: ${mod.title}`);
    await mod.run(ctx);
  } catch (e) {
    ctx.skipped.push(`${id}: ${firstLine(e)}`);
    ctx.log(`scenario ${id} failed: ${e?.stack ?? e}`);
  } finally {
    await stopAll();
  }
  scenarioSeconds[id] = +((Date.now() - t0) / 1000).toFixed(1);
  ctx.log(`== ${id} took ${scenarioSeconds[id]} s`);
}

const git = (...a) => {
  try {
    return execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};
const version = (pkg) => {
  try {
    return JSON.parse(readFileSync(`${root}node_modules/${pkg}/package.json`, 'utf8')).version;
  } catch {
    return null;
  }
};
const now = new Date();
const result = {
  date: now.toISOString(),
  mode: quick ? 'quick' : 'full',
  runsPerSide: runs,
  durationSeconds: (Date.now() - started) / 1000,
  budgetSeconds: budgetMs / 1000,
  scenarioSeconds,
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: os.release(), pinned: canPin },
  node: process.version,
  ws: version('ws'),
  bufferutil: version('bufferutil'),
  gitHead: git('rev-parse', 'HEAD'),
  gitDirty: Boolean(git('status', '--porcelain')),
  rows: ctx.rows,
  skipped: ctx.skipped,
  raw: ctx.raw,
};
const table = renderTable(result);
process.stdout.write(`${table}\n`);
const dir = opt('--out') ? `${opt('--out').replace(/\/$/, '')}/` : `${root}bench/results/`;
mkdirSync(dir, { recursive: true });
const json = JSON.stringify(result, null, 2);
const file = `${dir}${now.toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`;
writeFileSync(file, json);
writeFileSync(`${dir}${quick ? 'latest-quick' : 'latest'}.json`, json); // a quick (CI) run never replaces the full results
// bench/results/latest.md is the one published table (docs/benchmarks.md links to it): only a full run of every scenario replaces it.
if (!quick && !only) writeFileSync(`${dir}latest.md`, renderResultsFile(result));
const perScenario = Object.entries(scenarioSeconds).map(([id, sec]) => `${id} ${Math.round(sec)}`);
process.stderr.write(`time per scenario (s): ${perScenario.join(', ')}\n`);
process.stderr.write(`results: ${file.replace(root, '')} (${result.durationSeconds.toFixed(0)} s of a ${budgetMs / 1000} s budget)\n`);
