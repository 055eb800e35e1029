// Scenario 4: a client event through the whole system and back. Client `event` `message` {text, group}
// → emulator → upstream → publish {from, text, group, at} to the group through REST → the client.
// Ours: the functions app under the local host (/api/eventhandler), both processes started by the bench
// itself (no `npm start` log relay). Baseline: the same trip through an express app with
// @azure/web-pubsub-express whose handleUserEvent publishes with @azure/web-pubsub; same emulator.
// Floor: the same pipeline in bare node:http + ws (servers/floor-round-trip.mjs), the physical limit.
// Under npm start: the same stack started by dist/start.js (adds its log relay), at the larger client count.
// Server CPU = every server-side process (emulator + upstream, floor service + floor upstream, or
// start.js + its two children), all on core 0.
import { runAgent, compare, row, against } from '../lib/harness.mjs';
import { startEmulator, startLocalHost, startSdkApp, startFloorRoundTrip, startNpmStack } from '../lib/systems.mjs';
import { freePort } from '../lib/proc.mjs';
import { warmupPlan } from '../lib/warmup.mjs';

export const title = 'Round trip client → emulator → upstream → client';

/** Targets from issue 15: CPU per event within 2.5x of the floor at 16 clients; events/s 1.2x express. */
export const FLOOR_TARGET = { op: '<=', ratio: 2.5 };
export const SDK_TARGET = { op: '>=', ratio: 1.2 };
/** Round trips of warm-up per run in a full run (see run()). */
export const ROUND_TRIP_WARMUP_EVENTS = 15000;

export async function run(ctx) {
  // The JIT needs thousands of trips before this path is optimised, so warm-up is by count
  // (bench/lib/warmup.mjs). After 5,000 trips ours still cost about 1,100 µs per event at 16 clients and
  // kept falling to about 700-740 µs by about 12,000 (consecutive 2 s windows: 1,100, 890, 786, 758, 714,
  // …), so a 2 s window right after 5,000 caught it anywhere on that slope: 15,000, capped at 30 s.
  const timing = { warmup: warmupPlan(ctx.quick, { events: ROUND_TRIP_WARMUP_EVENTS, maxMs: 30000 }), measureMs: ctx.quick ? 1000 : 2000 };
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
  // A quick run (CI smoke) keeps to one count, with the floor: the path is the same at every count.
  const counts = ctx.quick ? [4] : [1, 16];
  for (const clients of counts) {
    const measure = async (start) => {
      const sys = await start();
      try {
        return await runAgent('round-trip', { port: sys.port, key: ctx.key, clients, serverPids: sys.pids, ...timing });
      } finally {
        await sys.stop();
      }
    };
    const largest = clients === counts.at(-1);
    const m = await compare(ctx, `round trip ${clients} client(s)`, {
      ours: () => measure(() => system(startLocalHost, '/api/eventhandler')),
      baseline: () => measure(() => system(startSdkApp, '/api/webpubsub/hubs/chat/')),
      // The floor at every count; the log relay of `npm start`, which costs per line, once, at the larger
      // count (full runs only: a quick run, CI after the tests, stays short).
      others: {
        floor: () => measure(() => startFloorRoundTrip({ key: ctx.key })),
        ...(largest && !ctx.quick ? { npmStart: () => measure(() => startNpmStack()) } : {}),
      },
    });
    const s = `4. Round trip, ${clients} client${clients > 1 ? 's' : ''} (1 in flight each)`;
    const notes = 'ours: functions app via local host; baseline: web-pubsub-express + SDK sendToAll (group); same emulator';
    row(ctx, { scenario: s, metric: 'events/s (wall)', m, key: 'perSecond', target: SDK_TARGET, notes });
    row(ctx, { scenario: s, metric: 'events per server-CPU-s', m, key: 'perCpuSecond', notes: 'CPU of emulator + upstream' });
    row(ctx, { scenario: s, metric: 'p50 latency ms', m, key: 'p50Ms', better: 'lower', notes: 'event sent → own message received' });
    row(ctx, { scenario: s, metric: 'p99 latency ms', m, key: 'p99Ms', better: 'lower', notes: '' });
    if (!m.floor) continue;
    const f = against(m, 'floor');
    const sf = `4. Round trip, ${clients} client${clients > 1 ? 's' : ''}, ours vs floor`;
    row(ctx, {
      scenario: sf,
      metric: 'server CPU µs per event',
      m: f,
      key: 'cpuPerEventUs',
      better: 'lower',
      // The target is for 16 clients, warm: the full run's larger count.
      target: clients === 16 ? FLOOR_TARGET : undefined,
      notes: `floor: bare node:http + ws doing the same hops and checks (ce-signature, HS256 REST token, JSON); CPU of both processes on each side${floorSpread(m)}`,
    });
    row(ctx, { scenario: sf, metric: 'events/s (wall)', m: f, key: 'perSecond', notes: '' });
    // The same ratio split by process (serverPids order: the service first, then the upstream).
    for (const r of [...m.ours, ...m.floor]) [r.serviceCpuUs, r.upstreamCpuUs] = r.cpuPerWorkUs ?? [];
    row(ctx, { scenario: sf, metric: 'service CPU µs per event', m: f, key: 'serviceCpuUs', better: 'lower', notes: 'emulator vs the floor service' });
    row(ctx, {
      scenario: sf,
      metric: 'upstream CPU µs per event',
      m: f,
      key: 'upstreamCpuUs',
      better: 'lower',
      notes: 'local host + functions app vs the floor event handler',
    });
    if (m.npmStart) {
      row(ctx, {
        scenario: `4. Round trip, ${clients} clients, under npm start vs started directly`,
        metric: 'server CPU µs per event',
        m: against(m, 'ours', 'npmStart'),
        key: 'cpuPerEventUs',
        better: 'lower',
        notes: "ours: dist/start.js + its emulator and local host (CPU of all three: the log relay included); baseline: the 'ours' runs above",
      });
    }
  }
}

/**
 * The floor's runs one by one, and the best run of each side against the other's. The floor's CPU per event is
 * bimodal from run to run (about 270-330 or 530-650 µs at 16 clients on the reference machine). Probes found
 * the same context switches per event in slow and fast runs, with about twice the CPU time for the same work:
 * a slower core (load elsewhere on the VM's host), which slows whichever side runs then. A median that lands
 * on a slow floor run flatters the ratio, so the note says so, and gives the best runs' ratio, each side
 * measured when its core was least disturbed.
 */
export function floorSpread(m) {
  const floor = (m.floor ?? []).map((r) => r?.cpuPerEventUs).filter(Number.isFinite);
  const ours = (m.ours ?? []).map((r) => r?.cpuPerEventUs).filter(Number.isFinite);
  if (floor.length < 2 || ours.length === 0) return '';
  return `; floor runs ${floor.map((x) => x.toFixed(0)).join(', ')} µs; best run against best run ${(Math.min(...ours) / Math.min(...floor)).toFixed(2)}x`;
}
