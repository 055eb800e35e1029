// Scenario 2: group send between clients (`sendToGroup` from a JSON client) in groups of 10 and of 1,000,
// against a bare `ws` router (Map<group, Set<ws>>, servers/bare-ws.mjs) fed the same frames.
import { runAgent, compare, row } from '../lib/harness.mjs';
import { warmupPlan } from '../lib/warmup.mjs';
import { startEmulator, startBareWs } from '../lib/systems.mjs';

export const title = 'Group send between clients';

export async function run(ctx) {
  const n = ctx.quick ? 100 : 1000;
  // Counted in deliveries; the minimum time lets the window of messages in flight reach a steady state.
  const timing = { warmup: warmupPlan(ctx.quick, { minMs: 800, quickMinMs: 300 }), measureMs: ctx.quick ? 700 : 2500 };
  // A quick run (CI smoke) keeps to one size: the path is the same at every size.
  for (const groupSize of ctx.quick ? [10] : [10, 1000]) {
    const measure = async (start) => {
      const sys = await start({ key: ctx.key });
      try {
        return await runAgent('group-send', { port: sys.port, key: ctx.key, n, groupSize, payloadBytes: 100, serverPids: sys.pids, ...timing });
      } finally {
        await sys.stop();
      }
    };
    const label = `groups of ${groupSize} (${n / groupSize} group${n / groupSize > 1 ? 's' : ''})`;
    const m = await compare(ctx, `group ${label}`, { ours: () => measure(startEmulator), baseline: () => measure(startBareWs) });
    const notes = 'one sender per group, fire-and-forget, echo on; bare router parses + stringifies once per message';
    row(ctx, { scenario: `2. Group send, ${label}`, metric: 'deliveries per server-CPU-s', m, key: 'perCpuSecond', notes });
    row(ctx, { scenario: `2. Group send, ${label}`, metric: 'deliveries/s (wall)', m, key: 'perSecond', notes: 'load generator bound above ~100k/s' });
  }
}
