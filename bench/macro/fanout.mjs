// Scenario 1: broadcast fan-out. REST `:send` (one POST per message, keep-alive) → N JSON clients.
// Ours: the emulator. Baseline: bare `ws` (servers/bare-ws.mjs) wrapping the body once and `ws.send`ing it
// to every client. Variant: bursts of 10 POSTs written in one tick on 10 keep-alive sockets, so several
// messages are queued per client socket in one server turn.
import { runAgent, compare } from '../lib/harness.mjs';
import { fanoutRows } from '../lib/fanout-rows.mjs';
import { warmupPlan } from '../lib/warmup.mjs';
import { startEmulator, startBareWs } from '../lib/systems.mjs';

export const title = 'Broadcast fan-out';

export async function run(ctx) {
  const n = ctx.quick ? 100 : 1000;
  // Counted in deliveries; the minimum time lets the window of messages in flight reach a steady state.
  const timing = { warmup: warmupPlan(ctx.quick, { minMs: 800, quickMinMs: 300 }), measureMs: ctx.quick ? 700 : 2500 };
  for (const burst of [1, 10]) {
    const measure = async (start) => {
      const sys = await start({ key: ctx.key });
      try {
        return await runAgent('fanout', {
          port: sys.port,
          key: ctx.key,
          n,
          burst,
          payloadBytes: 100,
          window: burst === 1 ? 4 : 20,
          serverPids: sys.pids,
          ...timing,
        });
      } finally {
        await sys.stop();
      }
    };
    const label = burst === 1 ? `N=${n}, 1 msg/turn` : `N=${n}, burst ${burst}/turn`;
    const m = await compare(ctx, `fanout ${label}`, { ours: () => measure(startEmulator), baseline: () => measure(startBareWs) });
    const notes = `100 B JSON payload; bare ws = wrap once + ws.send per client; window ${burst === 1 ? 4 : 20} msgs in flight`;
    fanoutRows(ctx, {
      scenario: `1. Fan-out ${label}`,
      m,
      target: { op: '>=', ratio: burst === 1 ? 0.8 : 1 },
      notes,
      wallNote: 'load generator (1 core) bound above ~100k/s',
    });
  }
}
