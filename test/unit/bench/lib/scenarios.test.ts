import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBenchModule } from '../../../support/bench-module';

// bench/lib/scenarios.mjs: every scenario module runs in `npm run bench` (full and quick), and the docs
// name every id that `--only` takes.
const ROOT = join(__dirname, '..', '..', '..', '..');
const scenarios = runBenchModule<[string, string][]>('lib/scenarios.mjs', 'return m.SCENARIOS;');

describe('bench scenario list', () => {
  it('registers every scenario module under bench/macro and bench/micro, each once', () => {
    const modules = ['macro', 'micro'].flatMap((dir) =>
      readdirSync(join(ROOT, 'bench', dir))
        .filter((f) => f.endsWith('.mjs'))
        // A scenario exports run(ctx); the others (e.g. micro/log-relay.mjs) are run by hand.
        .filter((f) => /export async function run\(ctx\)/.test(readFileSync(join(ROOT, 'bench', dir, f), 'utf8')))
        .map((f) => `./${dir}/${f}`),
    );
    expect(modules).toContain('./macro/signalr-fanout.mjs');
    expect(scenarios.map(([, path]) => path).sort()).toEqual(modules.sort());
    expect(new Set(scenarios.map(([id]) => id)).size).toBe(scenarios.length);
  });

  it('gives a full run a budget above a quick one, and the quick one the CI smoke run fits in', () => {
    const budgets = runBenchModule<{ quick: number; full: number }>('lib/scenarios.mjs', 'return { quick: m.QUICK_BUDGET_MS, full: m.FULL_BUDGET_MS };');
    expect(budgets.quick).toBeLessThanOrEqual(120_000);
    expect(budgets.full).toBeGreaterThan(budgets.quick);
  });

  it('is named id by id in docs/benchmarks.md', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'benchmarks.md'), 'utf8');
    const sentence = /Scenario ids for `--only`[^:]*:([^.]*)\./.exec(docs)?.[1] ?? '';
    const documented = [...sentence.matchAll(/`([a-z]+)`/g)].map((m) => m[1]);
    expect(documented.sort()).toEqual(scenarios.map(([id]) => id).sort());
  });
});
