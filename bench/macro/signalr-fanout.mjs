// Scenario: SignalR fan-out. REST `:send` to all (api-version 2022-06-01) → N SignalR clients on
// WebSockets, JSON hub protocol, handshake done (after negotiate, against the emulator).
// Ours: the emulator in SignalR Service mode. Baseline: bare `ws` (servers/bare-ws-signalr.mjs) wrapping
// the invocation once and `ws.send`ing it to every client.
import { runAgent, compare } from '../lib/harness.mjs';
import { fanoutRows } from '../lib/fanout-rows.mjs';
import { warmupPlan } from '../lib/warmup.mjs';
import { startSignalREmulator, startBareWsSignalR } from '../lib/systems.mjs';

export const title = 'SignalR fan-out (REST send to all → N WebSocket clients)';

export async function run(ctx) {
  const n = ctx.quick ? 100 : 1000;
  // Counted in deliveries; the minimum time lets the window of messages in flight reach a steady state.
  const timing = { warmup: warmupPlan(ctx.quick, { minMs: 800, quickMinMs: 300 }), measureMs: ctx.quick ? 700 : 2500 };
  const measure = async (start, negotiate) => {
    const sys = await start({ key: ctx.key });
    try {
      return await runAgent('signalr-fanout', { port: sys.port, key: ctx.key, n, negotiate, payloadBytes: 100, window: 4, serverPids: sys.pids, ...timing });
    } finally {
      await sys.stop();
    }
  };
  const label = `N=${n}, JSON`;
  const m = await compare(ctx, `signalr fanout ${label}`, {
    ours: () => measure(startSignalREmulator, true),
    baseline: () => measure(startBareWsSignalR, false),
  });
  const notes = '100 B argument; bare ws = wrap once + ws.send per client; window 4 msgs in flight';
  fanoutRows(ctx, { scenario: `9. SignalR fan-out ${label}`, m, target: { op: '>=', ratio: 0.8 }, notes });
}
