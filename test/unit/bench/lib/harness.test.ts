import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// bench/lib/harness.mjs `compare`: ours and the baseline alternate; a run cut by a transport error is
// repeated once (within the retry window) and the row says so; a second failure ends that side; other
// failures (wrong answers, lost messages) and `Missing` are never repeated.
// The harness is ESM with import.meta, so it runs in a child Node process rather than under jest.
const harness = join(__dirname, '..', '..', '..', '..', 'bench', 'lib', 'harness.mjs');

interface Outcome {
  ours: number[];
  baseline: number[];
  oursError: string | null;
  baselineError: string | null;
  discarded: { side: string; run: number; error?: string }[];
  calls: { ours: number; baseline: number };
  notes: string;
}

/** Runs compare() with a baseline that throws on the given call numbers (1-based). */
function runCompare(failOn: number[], { retries = 1, missing = false, message = 'socket hang up' } = {}): Outcome {
  const script = `
    import { compare, row, Missing } from ${JSON.stringify(harness)};
    const calls = { ours: 0, baseline: 0 };
    const failOn = new Set(${JSON.stringify(failOn)});
    const ctx = { runs: 3, retries: ${retries}, retryUntil: Date.now() + 60000, raw: {}, rows: [], log: () => {} };
    const out = await compare(ctx, 'unit', {
      ours: async () => ({ ms: ++calls.ours }),
      baseline: async () => {
        calls.baseline++;
        if (failOn.has(calls.baseline)) throw ${missing ? "new Missing('not built')" : `new Error(${JSON.stringify(message)})`};
        return { ms: 100 + calls.baseline };
      },
    });
    process.stdout.write(JSON.stringify({
      ours: out.ours.map((r) => r.ms), baseline: out.baseline.map((r) => r.ms),
      oursError: out.oursError?.message ?? null, baselineError: out.baselineError?.message ?? null,
      discarded: out.discarded, calls,
      notes: row(ctx, { scenario: 's', metric: 'm', m: out, key: 'ms' }).notes,
    }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Outcome;
}

describe('bench harness compare()', () => {
  it('repeats a run that failed once and keeps every figure of the other runs', () => {
    const out = runCompare([2]);
    expect(out.baselineError).toBeNull();
    expect(out.baseline).toEqual([101, 103, 104]);
    expect(out.discarded).toEqual([{ side: 'baseline', run: 1, error: 'socket hang up' }]);
    expect(out.ours).toEqual([1, 2, 3]);
    expect(out.notes).toContain('1 run(s) repeated after a transport error (baseline: socket hang up)');
  });

  it('never repeats a failure that is a finding (a wrong answer, lost messages)', () => {
    const out = runCompare([2], { message: 'messages lost: 9990 of 10000 deliveries arrived' });
    expect(out.baselineError).toBe('messages lost: 9990 of 10000 deliveries arrived');
    expect(out.calls.baseline).toBe(2);
    expect(out.discarded).toEqual([]);
  });

  it('gives up on a side that fails twice in a row, and says why', () => {
    const out = runCompare([2, 3]);
    expect(out.baselineError).toBe('socket hang up');
    expect(out.baseline).toEqual([101]);
    expect(out.calls.baseline).toBe(3);
    expect(out.ours).toEqual([1, 2, 3]);
  });

  it('does not repeat when repeats are off', () => {
    const out = runCompare([1], { retries: 0 });
    expect(out.baselineError).toBe('socket hang up');
    expect(out.calls.baseline).toBe(1);
  });

  it('never repeats a side that is missing (not built)', () => {
    const out = runCompare([1], { missing: true });
    expect(out.baselineError).toBe('not built');
    expect(out.calls.baseline).toBe(1);
    expect(out.discarded).toEqual([]);
  });
});

describe('bench harness: more sides than ours and the baseline (the floor)', () => {
  interface Sides {
    order: string[];
    floorRow: { ours: { median: number }; baseline: { median: number }; ratio: number; status: string; target: string };
    reversed: { ours: { median: number }; baseline: { median: number } };
    floorError: string | null;
    raw: Record<string, unknown>;
  }
  function runSides(floorFails = false): Sides {
    const script = `
      import { compare, row, against } from ${JSON.stringify(harness)};
      const order = [];
      const ctx = { runs: 2, retries: 0, retryUntil: Date.now() + 60000, raw: {}, rows: [], log: () => {} };
      const out = await compare(ctx, 'sides', {
        ours: async () => (order.push('ours'), { us: 500 }),
        baseline: async () => (order.push('baseline'), { us: 900 }),
        others: { floor: async () => { order.push('floor'); if (${floorFails}) throw new Error('floor broke'); return { us: 200 }; } },
      });
      const floorRow = row(ctx, { scenario: 's', metric: 'm', m: against(out, 'floor'), key: 'us', better: 'lower', target: { op: '<=', ratio: 2.5 } });
      const reversed = row(ctx, { scenario: 's', metric: 'm', m: against(out, 'ours', 'floor'), key: 'us' });
      process.stdout.write(JSON.stringify({ order, floorRow, reversed, floorError: out.floorError?.message ?? null, raw: ctx.raw.sides }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as Sides;
  }

  it('runs every side in the same interleaving and compares ours with the floor', () => {
    const out = runSides();
    expect(out.order).toEqual(['baseline', 'floor', 'ours', 'baseline', 'floor', 'ours']);
    expect(out.floorRow.ours.median).toBe(500);
    expect(out.floorRow.baseline.median).toBe(200);
    expect(out.floorRow.ratio).toBe(2.5);
    expect(out.floorRow.target).toBe('<= 2.5x');
    expect(out.floorRow.status).toBe('met');
    expect(out.reversed.ours.median).toBe(200);
    expect(out.reversed.baseline.median).toBe(500);
    expect(Object.keys(out.raw)).toEqual(expect.arrayContaining(['floor', 'floorError']));
  });

  it('a failing floor ends only the floor side', () => {
    const out = runSides(true);
    expect(out.floorError).toBe('floor broke');
    expect(out.order.filter((s) => s === 'floor')).toHaveLength(1);
    expect(out.order.filter((s) => s === 'ours')).toHaveLength(2);
  });
});
