import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Smoke test of the bench harness in quick mode (small N, one run, no thresholds): it must finish,
// print the table and write the JSON. A few scenarios only, so the suite stays short; the whole quick
// bench is `npm run bench -- --quick`.
test('the quick bench runs and writes its table and JSON', () => {
  const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  try {
    const r = spawnSync(process.execPath, ['bench/run.mjs', '--quick', '--only', 'fanout,tokens,negotiate', '--out', out], {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| Scenario | Metric | Ours | Baseline | Ratio |');
    const result = JSON.parse(readFileSync(join(out, 'latest-quick.json'), 'utf8'));
    expect(result.mode).toBe('quick');
    expect(result.rows.length).toBeGreaterThan(0);
    // Every baseline must have produced a number: a broken baseline makes every ratio meaningless.
    for (const row of result.rows) expect(row.baselineError).toBeNull();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);
