// The closed loop of the fan-out scenarios: every message goes to `n` receivers, at most `window` messages
// are undelivered at once, and a message is complete at its n-th delivery. With `burst` B, B messages are
// sent in the same tick (and the window must have room for all B). Completions are approximate under
// interleaving: deliveries are counted, not matched to messages.
import { performance } from 'node:perf_hooks';
import { mark, between } from './window.mjs';
import { until } from './ws-pool.mjs';
import { warmUp } from '../lib/warmup.mjs';
import { Reservoir, percentile } from '../lib/stats.mjs';

/**
 * `send(seq)` sends message `seq` (0, 1, 2, ...). The transport reports each delivery with `deliver()`
 * (or `deliver(k)` for k at once), which returns the deliveries so far and sends more when the window
 * has room. Nothing is sent before `start()`; nothing more after `stop()`.
 */
export function createFanoutLoop({ n, window, burst = 1, send }) {
  let delivered = 0;
  let posted = 0;
  let completed = 0;
  let gate = Infinity; // the delivery count that completes the oldest message in flight
  let stopping = false;
  const postedAt = [];
  const completion = new Reservoir(20000);
  function progress() {
    const now = performance.now();
    while (delivered >= (completed + 1) * n && completed < posted) {
      completion.add(now - postedAt[completed]);
      postedAt[completed] = undefined;
      completed++;
    }
    pump();
  }
  function pump() {
    while (!stopping && posted - completed + burst <= window) {
      const now = performance.now();
      for (let k = 0; k < burst; k++) {
        postedAt[posted] = now;
        send(posted++);
      }
    }
    gate = (completed + 1) * n;
  }
  return {
    deliver(k = 1) {
      delivered += k;
      if (delivered >= gate) progress();
      return delivered;
    },
    start: pump,
    stop() {
      stopping = true;
    },
    get delivered() {
      return delivered;
    },
    get posted() {
      return posted;
    },
    /** Deliveries owed for every message sent so far. */
    get expected() {
      return posted * n;
    },
    /** Milliseconds from send to n-th delivery, over the whole run (warm-up included). */
    completion,
  };
}

/**
 * Starts the loop, warms up by deliveries (bench/lib/warmup.mjs), measures `measureMs`, stops sending and
 * waits up to `drainMs` for every owed delivery. Resolves the window's figures (window.mjs `between`) with
 * { warmup, messagesPerSecond, completionP50Ms, completionP99Ms, drained }.
 */
export async function measureFanoutLoop(loop, { warmup: plan, measureMs, serverPids, drainMs = 5000 }) {
  loop.start();
  const stall = setInterval(() => {}, 1000); // keep the event loop alive while waiting
  const warmup = await warmUp({ count: () => loop.delivered, ...plan });
  const a = mark(serverPids, loop.delivered);
  const cA = loop.completion.seen;
  await new Promise((r) => setTimeout(r, measureMs));
  const b = mark(serverPids, loop.delivered);
  loop.stop();
  const drained = await until(() => loop.delivered >= loop.expected, drainMs);
  clearInterval(stall);
  return {
    ...between(a, b),
    warmup,
    messagesPerSecond: (loop.completion.seen - cA) / ((b.t - a.t) / 1000),
    completionP50Ms: percentile(loop.completion.values, 50),
    completionP99Ms: percentile(loop.completion.values, 99),
    drained,
  };
}
