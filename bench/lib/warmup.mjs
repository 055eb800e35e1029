// Warm-up by count: V8 optimises a request path only after it has run thousands of times (the round trip
// keeps getting cheaper for about 5,000 trips), so a time-based warm-up measures a colder system on the
// slower side. Every JIT-sensitive scenario warms up until both sides have done the same number of events,
// with a time cap so a slow or stuck side cannot hold the run forever (the result then says "capped").

/** Full runs: at least this many events (requests, round trips) before the measured window. */
export const WARMUP_EVENTS = 5000;
/** ...but never longer than this. */
export const WARMUP_CAP_MS = 20000;

/**
 * The warm-up of one scenario: `events` (at least WARMUP_EVENTS in a full run), `minMs` (a floor in time,
 * for scenarios that also need a steady state, e.g. a full window of messages in flight) and `maxMs` (the
 * cap). Quick runs (CI smoke) warm up much less: their figures only show that the scenario works.
 */
export function warmupPlan(quick, { events = WARMUP_EVENTS, minMs = 0, maxMs = WARMUP_CAP_MS, quickEvents = 300, quickMinMs = 0, quickMaxMs = 1000 } = {}) {
  if (quick) return { events: quickEvents, minMs: quickMinMs, maxMs: Math.max(quickMaxMs, quickMinMs) };
  return { events: Math.max(events, WARMUP_EVENTS), minMs, maxMs: Math.max(maxMs, minMs) };
}

/**
 * Where a warm-up stands after `count` events and `elapsedMs`: 'warming' (go on), 'warm' (enough events
 * and at least `minMs`), or 'capped' (`maxMs` reached first: the measurement starts anyway, and says so).
 */
export function warmupState({ count, elapsedMs, events, minMs = 0, maxMs }) {
  if (count >= events && elapsedMs >= minMs) return 'warm';
  if (elapsedMs >= maxMs) return 'capped';
  return 'warming';
}

/**
 * Waits (polling every `everyMs`) until the warm-up is over or `abort()` returns true (e.g. the traffic
 * stalled). Resolves { events, ms, capped, aborted }: the summary a load generator returns with its figures.
 */
export async function warmUp({ count, events, minMs = 0, maxMs, abort = () => false, everyMs = 10, now = () => Date.now() }) {
  const t0 = now();
  for (;;) {
    const elapsedMs = now() - t0;
    const state = warmupState({ count: count(), elapsedMs, events, minMs, maxMs });
    const aborted = state === 'warming' && abort();
    if (state !== 'warming' || aborted) return { events: count(), ms: elapsedMs, capped: state === 'capped', aborted };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A note for a table row when any run's warm-up hit its time cap before its event count. */
export function warmupNote(runs) {
  const capped = runs.filter((r) => r?.warmup?.capped);
  if (!capped.length) return '';
  const fewest = Math.min(...capped.map((r) => r.warmup.events));
  return `⚠ ${capped.length} run(s) hit the warm-up time cap (fewest: ${fewest} events)`;
}
