// Scenario 5a: GET /api/negotiate?userId= through the local Functions host (ours) against an express app
// answering the same route with @azure/web-pubsub's getClientAccessToken (the official SDK path).
import { runAgent, compare, row } from '../lib/harness.mjs';
import { warmupPlan } from '../lib/warmup.mjs';
import { startLocalHost, startSdkApp } from '../lib/systems.mjs';

export const title = 'Negotiate requests';

export async function run(ctx) {
  const timing = { warmup: warmupPlan(ctx.quick, { events: 15000, quickEvents: 1000 }), measureMs: ctx.quick ? 1000 : 3000 };
  const concurrency = 32;
  const measure = async (start) => {
    const sys = await start({ key: ctx.key });
    try {
      return await runAgent('http-load', { url: `http://127.0.0.1:${sys.port}/api/negotiate?userId=bench-user`, concurrency, serverPids: sys.pids, ...timing });
    } finally {
      await sys.stop();
    }
  };
  const m = await compare(ctx, 'negotiate', { ours: () => measure(startLocalHost), baseline: () => measure(startSdkApp) });
  const s = `5. Negotiate (${concurrency} keep-alive clients)`;
  row(ctx, {
    scenario: s,
    metric: 'requests/s (wall)',
    m,
    key: 'perSecond',
    target: { op: '>=', ratio: 2 },
    notes: 'ours: local host + functions app (NegotiateAuth=dev); baseline: express + getClientAccessToken',
  });
  row(ctx, { scenario: s, metric: 'requests per server-CPU-s', m, key: 'perCpuSecond', notes: '' });
  row(ctx, { scenario: s, metric: 'p99 latency ms', m, key: 'p99Ms', better: 'lower', notes: '' });
}
