// The closed loop of the request/reply scenarios: each of `clients` clients keeps one request in flight
// and sends its next one when the reply to the last arrives. Latency is request sent → reply received.
import { performance } from 'node:perf_hooks';
import { mark, between } from './window.mjs';
import { until } from './ws-pool.mjs';
import { warmUp } from '../lib/warmup.mjs';
import { Reservoir, percentile } from '../lib/stats.mjs';

/**
 * `request(i, seq)` is the text of client i's seq-th request (seq from 1); `send(i, text)` sends it.
 * The transport reports a correct reply with `replied(i)` (which sends the next request unless the loop is
 * stopping) and anything else with `unexpected(text)` (the first one is kept for the error message).
 * `current(i)` is the seq of client i's request in flight, to check a reply against.
 */
export function createPerClientLoop({ clients, request, send }) {
  let done = 0;
  let stopping = false;
  let lastProgress = Date.now();
  let firstUnexpected = null;
  const seq = new Array(clients).fill(0);
  const sentAt = new Array(clients).fill(0);
  const latency = new Reservoir(50000);
  const next = (i) => {
    sentAt[i] = performance.now();
    send(i, request(i, ++seq[i]));
  };
  return {
    clients,
    current: (i) => seq[i],
    replied(i) {
      latency.add(performance.now() - sentAt[i]);
      done++;
      lastProgress = Date.now();
      if (!stopping) next(i);
    },
    unexpected(text) {
      firstUnexpected ??= text;
    },
    get firstUnexpected() {
      return firstUnexpected;
    },
    get done() {
      return done;
    },
    /** Milliseconds since the last reply (or since the loop was made). */
    get idleMs() {
      return Date.now() - lastProgress;
    },
    start() {
      for (let i = 0; i < clients; i++) next(i);
    },
    stop() {
      stopping = true;
    },
    latency,
  };
}

/**
 * Starts the loop, warms up by replies (bench/lib/warmup.mjs), measures `measureMs`, then stops and lets
 * replies in flight land for 200 ms. No reply for `stallMs` fails the run: during the warm-up with
 * "`wording.none` for N ms", during the measurement with "`wording.stalled` during the measurement".
 * Resolves the window's figures (window.mjs `between`) with { warmup, p50Ms, p99Ms, unexpected }; the
 * latencies are the measured window's only.
 */
export async function measurePerClientLoop(loop, { warmup: plan, measureMs, serverPids, stallMs = 5000, wording }) {
  loop.start();
  const watch = setInterval(() => {}, 1000);
  const stalled = () => loop.idleMs > stallMs;
  const got = () => (loop.firstUnexpected ? `; got ${loop.firstUnexpected}` : '');
  try {
    // Warm-up by count: the same JIT exposure on every side.
    const warmup = await warmUp({ count: () => loop.done, ...plan, abort: stalled, everyMs: 20 });
    if (warmup.aborted) throw new Error(`${wording.none} for ${stallMs} ms${got()}`);
    const a = mark(serverPids, loop.done);
    loop.latency.values.length = 0; // keep only measured-window latencies
    loop.latency.seen = 0;
    if (await until(stalled, measureMs, 50)) throw new Error(`${wording.stalled} during the measurement${got()}`);
    const b = mark(serverPids, loop.done);
    return {
      ...between(a, b),
      warmup,
      p50Ms: percentile(loop.latency.values, 50),
      p99Ms: percentile(loop.latency.values, 99),
      unexpected: loop.firstUnexpected,
    };
  } finally {
    loop.stop();
    await until(() => false, 200);
    clearInterval(watch);
  }
}
