// Scenario 9: an invocation through the whole system and back (client 1.1.0 invokeEvent): `invoke` →
// emulator → upstream user event `echo` → reply → `invokeResponse`. Baseline: the same request/reply
// the 1.0 way, an `event` frame whose upstream reply comes back as a server message — same emulator,
// same upstream (web-pubsub-express echoing the payload), so the ratio is the cost of the invocation
// path against the event path. Both on core 0.
import { runAgent, compare, row } from '../lib/harness.mjs';
import { warmupPlan } from '../lib/warmup.mjs';
import { startEmulator, startSdkApp } from '../lib/systems.mjs';
import { freePort } from '../lib/proc.mjs';

export const title = 'Invoke round trip client → emulator → upstream → client';

export async function run(ctx) {
  const timing = { warmup: warmupPlan(ctx.quick), measureMs: ctx.quick ? 1000 : 2000 };
  // A quick run (CI smoke) keeps to one count: the path is the same at every count.
  for (const clients of ctx.quick ? [4] : [1, 16]) {
    const measure = async (mode) => {
      const [ep, up] = [await freePort(), await freePort()];
      const upstream = await startSdkApp({ key: ctx.key, emulatorPort: ep, port: up });
      let emulator;
      try {
        emulator = await startEmulator({ key: ctx.key, port: ep, upstream: `http://127.0.0.1:${up}/api/webpubsub/hubs/chat/` });
        return await runAgent('invoke-round-trip', { port: ep, key: ctx.key, clients, mode, serverPids: [emulator.child.pid, upstream.child.pid], ...timing });
      } finally {
        await Promise.all([emulator?.stop(), upstream.stop()]);
      }
    };
    const m = await compare(ctx, `invoke round trip ${clients} client(s)`, { ours: () => measure('invoke'), baseline: () => measure('event') });
    const s = `9. Invoke round trip, ${clients} client${clients > 1 ? 's' : ''} (1 in flight each)`;
    const notes = 'ours: invoke → invokeResponse; baseline: sendEvent → server message; same emulator and express upstream';
    row(ctx, { scenario: s, metric: 'replies/s (wall)', m, key: 'perSecond', notes });
    row(ctx, { scenario: s, metric: 'p50 latency ms', m, key: 'p50Ms', better: 'lower', notes: 'request sent → reply received' });
  }
}
