// Scenario: MQTT fan-out. One MQTT 3.1.1 publisher, N subscribers of one topic, QoS 0, over WebSocket.
// Ours: the emulator's MQTT endpoint (/clients/mqtt/hubs/<hub>, token checked, topic = group).
// Baseline: Aedes (the Node MQTT broker) over `ws` (servers/aedes-ws.mjs), no authentication.
import { runAgent, compare } from '../lib/harness.mjs';
import { fanoutRows } from '../lib/fanout-rows.mjs';
import { warmupPlan } from '../lib/warmup.mjs';
import { startEmulator, startAedesWs } from '../lib/systems.mjs';

export const title = 'MQTT fan-out (one publisher, N subscribers)';

export async function run(ctx) {
  const n = ctx.quick ? 100 : 1000;
  // Counted in deliveries; the minimum time lets the window of messages in flight reach a steady state.
  const timing = { warmup: warmupPlan(ctx.quick, { minMs: 800, quickMinMs: 300 }), measureMs: ctx.quick ? 700 : 2500 };
  const measure = async (start) => {
    const sys = await start({ key: ctx.key });
    try {
      return await runAgent('mqtt-fanout', { port: sys.port, key: ctx.key, n, payloadBytes: 100, window: 4, serverPids: sys.pids, ...timing });
    } finally {
      await sys.stop();
    }
  };
  const label = `N=${n}, QoS 0`;
  const m = await compare(ctx, `mqtt fanout ${label}`, { ours: () => measure(startEmulator), baseline: () => measure(startAedesWs) });
  const notes = 'MQTT 3.1.1 over WebSocket, 100 B payload; baseline Aedes over ws; window 4 publishes in flight';
  fanoutRows(ctx, { scenario: `8. MQTT fan-out ${label}`, m, target: { op: '>=', ratio: 0.8 }, notes, sentBy: 'publish' });
}
