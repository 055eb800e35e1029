// Scenario 3: connect storm. Connections per second with JWT verification (batches of 200, JSON
// subprotocol, ready = `connected` frame received) and RSS per idle connection at 10,000 connections
// (quick: 1,000); baseline: bare `ws` handshakes with no verification (servers/bare-ws.mjs).
import { runAgent, compare, row } from '../lib/harness.mjs';
import { warmupPlan } from '../lib/warmup.mjs';
import { startEmulator, startBareWs } from '../lib/systems.mjs';

export const title = 'Connect storm and memory per connection';

export async function run(ctx) {
  const n = ctx.quick ? 1000 : 10000;
  const measure = async (start) => {
    const sys = await start({ key: ctx.key });
    try {
      return await runAgent('connect-storm', {
        port: sys.port,
        key: ctx.key,
        n,
        batch: 200,
        serverPids: sys.pids,
        settleMs: ctx.quick ? 500 : 1500,
        // 5,000 handshakes (quick: one batch) before the storm, the same count on both sides.
        warmup: warmupPlan(ctx.quick, { quickEvents: 200, quickMaxMs: 5000 }),
      });
    } finally {
      await sys.stop();
    }
  };
  // Five runs a side in a full run: a storm lasts about 2 s, and single runs on this machine vary by
  // ±15 % on both sides, more than the difference the target is about.
  const m = await compare(ctx, `connect ${n}`, {
    runs: ctx.quick ? ctx.runs : Math.max(ctx.runs, 5),
    ours: () => measure(startEmulator),
    baseline: () => measure(startBareWs),
  });
  const s = `3. Connect storm, ${n} conns`;
  row(ctx, {
    scenario: s,
    metric: 'connections/s (wall)',
    m,
    key: 'perSecond',
    target: { op: '>=', ratio: 0.8 },
    notes: 'batches of 200, each ready before the next; one Node client process (see its CPU share row)',
  });
  row(ctx, {
    scenario: s,
    metric: 'connections per server-CPU-s',
    m,
    key: 'perCpuSecond',
    notes: 'ours verifies an HS256 token per upgrade; baseline verifies nothing',
  });
  // Whether the single client process limits the wall rate: its core's busy share during the storm (and
  // the server's, in the raw results). Both sides get the same clients, URLs and tokens.
  row(ctx, {
    scenario: s,
    metric: 'load-generator CPU share',
    m,
    key: 'loadCpuShare',
    better: 'lower',
    notes: 'busy share of the client process during the storm: near 1 means the wall rate is the client’s, not the server’s',
  });
  row(ctx, { scenario: s, metric: 'p99 handshake ms', m, key: 'handshakeP99Ms', better: 'lower', notes: 'open → connected frame, within a batch of 200' });
  row(ctx, {
    scenario: s,
    metric: 'RSS per idle connection',
    unit: 'KB',
    m,
    key: 'rssPerConnectionKB',
    better: 'lower',
    target: { op: '<=', ratio: 2 },
    notes: 'server RSS delta / n after 1.5 s settle, no forced GC',
  });
}
