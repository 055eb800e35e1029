import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// bench/lib/warmup.mjs: the warm-up stops after a count of events (and a minimum time), or at its time
// cap, whichever comes first, and says which. The module is ESM, so it runs in a child Node process.
const warmup = join(__dirname, '..', '..', '..', '..', 'bench', 'lib', 'warmup.mjs');

function evaluate<T>(expression: string): T {
  const script = `
    import * as w from ${JSON.stringify(warmup)};
    const result = await (async () => ${expression})();
    process.stdout.write(JSON.stringify(result));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

describe('bench warm-up by count', () => {
  it('is warm once the count is reached, and not before', () => {
    const states = evaluate<string[]>(`[
      w.warmupState({ count: 4999, elapsedMs: 1000, events: 5000, maxMs: 20000 }),
      w.warmupState({ count: 5000, elapsedMs: 1000, events: 5000, maxMs: 20000 }),
    ]`);
    expect(states).toEqual(['warming', 'warm']);
  });

  it('waits for the minimum time even when the count is reached', () => {
    const states = evaluate<string[]>(`[
      w.warmupState({ count: 90000, elapsedMs: 500, events: 5000, minMs: 800, maxMs: 20000 }),
      w.warmupState({ count: 90000, elapsedMs: 800, events: 5000, minMs: 800, maxMs: 20000 }),
    ]`);
    expect(states).toEqual(['warming', 'warm']);
  });

  it('stops at the time cap with fewer events, and says it was capped', () => {
    expect(evaluate<string>(`w.warmupState({ count: 4000, elapsedMs: 20000, events: 5000, maxMs: 20000 })`)).toBe('capped');
    // Reaching the count exactly at the cap is a full warm-up, not a capped one.
    expect(evaluate<string>(`w.warmupState({ count: 5000, elapsedMs: 20000, events: 5000, maxMs: 20000 })`)).toBe('warm');
  });

  it('plans at least 5,000 events capped at 20 s in a full run, and a small warm-up in a quick run', () => {
    const plans = evaluate<Record<string, { events: number; minMs: number; maxMs: number }>>(`({
      full: w.warmupPlan(false),
      fewer: w.warmupPlan(false, { events: 1500 }),
      more: w.warmupPlan(false, { events: 15000 }),
      quick: w.warmupPlan(true),
      timed: w.warmupPlan(false, { minMs: 800 }),
    })`);
    expect(plans.full).toEqual({ events: 5000, minMs: 0, maxMs: 20000 });
    expect(plans.fewer!.events).toBe(5000);
    expect(plans.more!.events).toBe(15000);
    expect(plans.quick!.events).toBeLessThan(5000);
    expect(plans.quick!.maxMs).toBeLessThanOrEqual(1000);
    expect(plans.timed).toEqual({ events: 5000, minMs: 800, maxMs: 20000 });
  });

  it('warmUp() polls the count until warm, on a fake clock', () => {
    // The count grows by 1,000 per poll and the clock by 1 s per poll: warm at the 5th poll, after 5 s.
    const out = evaluate<{ events: number; ms: number; capped: boolean; aborted: boolean }>(`(() => {
      let polls = 0, clock = 0;
      return w.warmUp({ count: () => polls * 1000, events: 5000, maxMs: 20000, everyMs: 0,
        now: () => { const t = clock; clock += 1000; polls++; return t; } });
    })()`);
    expect(out.capped).toBe(false);
    expect(out.aborted).toBe(false);
    expect(out.events).toBeGreaterThanOrEqual(5000);
  });

  it('warmUp() gives up at the cap, or at once when aborted (stalled traffic)', () => {
    const capped = evaluate<{ capped: boolean; ms: number }>(`(() => {
      let clock = 0;
      return w.warmUp({ count: () => 10, events: 5000, maxMs: 3000, everyMs: 0, now: () => (clock += 1000) - 1000 });
    })()`);
    expect(capped.capped).toBe(true);
    expect(capped.ms).toBeGreaterThanOrEqual(3000);
    const aborted = evaluate<{ aborted: boolean; capped: boolean }>(`w.warmUp({ count: () => 0, events: 5000, maxMs: 60000, abort: () => true })`);
    expect(aborted).toEqual(expect.objectContaining({ aborted: true, capped: false }));
  });

  it('notes the runs whose warm-up was capped, with the fewest events any of them had', () => {
    const note = evaluate<string>(`w.warmupNote([
      { warmup: { events: 5000, capped: false } },
      { warmup: { events: 1200, capped: true } },
      { warmup: { events: 3100, capped: true } },
      {},
    ])`);
    expect(note).toBe('⚠ 2 run(s) hit the warm-up time cap (fewest: 1200 events)');
    expect(evaluate<string>(`w.warmupNote([{ warmup: { events: 5000, capped: false } }])`)).toBe('');
  });
});
