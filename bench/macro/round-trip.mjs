// Scenario 4: a client event through the whole system and back. Client `event` `message` {text, group}
// → emulator → upstream → publish {from, text, group, at} to the group through REST → the client.
// Ours: the functions app under the local host (/api/eventhandler). Baseline: the same trip through an
// express app with @azure/web-pubsub-express whose handleUserEvent publishes with @azure/web-pubsub.
// Both use the same emulator; server CPU = emulator + upstream (both on core 0).
import { runAgent, compare, row } from '../lib/harness.mjs';
import { startEmulator, startLocalHost, startSdkApp } from '../lib/systems.mjs';
import { freePort } from '../lib/proc.mjs';

export const title = 'Round trip client → emulator → upstream → client';

export async function run(ctx) {
  // The JIT needs thousands of trips before this path is optimised (1 ms → 0.35 ms of emulator CPU
  // per event here), so warm-up is by count, capped in time.
  const timing = ctx.quick ? { warmupEvents: 300, warmupMs: 1000, measureMs: 1000 } : { warmupEvents: 1500, warmupMs: 3000, measureMs: 2000 };
  const system = async (startUpstream, path) => {
    const [ep, up] = [await freePort(), await freePort()];
    const upstream = await startUpstream({ key: ctx.key, emulatorPort: ep, port: up });
    try {
      const emulator = await startEmulator({ key: ctx.key, port: ep, upstream: `http://127.0.0.1:${up}${path}` });
      return { port: ep, pids: [emulator.child.pid, upstream.child.pid], stop: () => Promise.all([emulator.stop(), upstream.stop()]) };
    } catch (e) {
      await upstream.stop();
      throw e;
    }
  };
  for (const clients of ctx.quick ? [1, 4] : [1, 16]) {
    const measure = async (startUpstream, path) => {
      const sys = await system(startUpstream, path);
      try {
        return await runAgent('round-trip', { port: sys.port, key: ctx.key, clients, serverPids: sys.pids, ...timing });
      } finally {
        await sys.stop();
      }
    };
    const m = await compare(ctx, `round trip ${clients} client(s)`, {
      ours: () => measure(startLocalHost, '/api/eventhandler'),
      baseline: () => measure(startSdkApp, '/api/webpubsub/hubs/chat/'),
    });
    const s = `4. Round trip, ${clients} client${clients > 1 ? 's' : ''} (1 in flight each)`;
    const notes = 'ours: functions app via local host; baseline: web-pubsub-express + SDK sendToAll (group); same emulator';
    row(ctx, { scenario: s, metric: 'events/s (wall)', m, key: 'perSecond', notes });
    row(ctx, { scenario: s, metric: 'events per server-CPU-s', m, key: 'perCpuSecond', notes: 'CPU of emulator + upstream' });
    row(ctx, { scenario: s, metric: 'p50 latency ms', m, key: 'p50Ms', better: 'lower', notes: 'event sent → own message received' });
    row(ctx, { scenario: s, metric: 'p99 latency ms', m, key: 'p99Ms', better: 'lower', notes: '' });
  }
}
