// Round trip through the whole system: a JSON client sends a user event `message` {text, group}; the
// emulator posts it upstream; the upstream publishes {from, text, group, at} to the group through REST;
// the client receives it. Each of `clients` clients is alone in its own group and keeps one event in
// flight (closed loop). Latency is event sent → own message received.
import { performance } from 'node:perf_hooks';
import { openClients, closeAll, until } from './ws-pool.mjs';
import { clientToken } from '../lib/jwt.mjs';
import { mark, between } from './window.mjs';
import { Reservoir, percentile } from '../lib/stats.mjs';
import { warmUp } from '../lib/warmup.mjs';

export async function run(p) {
  const { port, hub = 'chat', key, clients, warmup: plan, measureMs, serverPids, stallMs = 5000 } = p;
  let acks = 0;
  let done = 0;
  let stopping = false;
  let lastProgress = Date.now();
  let unexpected = null;
  const seq = new Array(clients).fill(0);
  const sentAt = new Array(clients).fill(0);
  const lat = new Reservoir(50000);
  let sockets;
  const send = (i) => {
    sentAt[i] = performance.now();
    sockets[i].send(`{"type":"event","event":"message","dataType":"json","data":{"text":"${i}:${++seq[i]}","group":"rt${i}"}}`);
  };
  const onFrame = (i, data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'ack') {
      if (m.success) acks++;
      else unexpected ??= data.toString();
      return;
    }
    if (m.type !== 'message' || m.data?.text !== `${i}:${seq[i]}`) {
      if (m.type === 'message' && m.from === 'server') return; // an upstream reply body, if any
      unexpected ??= data.toString().slice(0, 300);
      return;
    }
    lat.add(performance.now() - sentAt[i]);
    done++;
    lastProgress = Date.now();
    if (!stopping) send(i);
  };
  ({ sockets } = await openClients({
    n: clients,
    urlFor: (i) => `ws://127.0.0.1:${port}/client/hubs/${hub}?access_token=${clientToken(key, port, hub, `rt-user-${i}`)}`,
    onFrame,
  }));
  sockets.forEach((ws, i) => ws.send(`{"type":"joinGroup","group":"rt${i}","ackId":1}`));
  if (!(await until(() => acks >= clients, 10000))) throw new Error(`only ${acks}/${clients} joinGroup acks${unexpected ? `; got ${unexpected}` : ''}`);
  for (let i = 0; i < clients; i++) send(i);
  const watch = setInterval(() => {}, 1000);
  const stalled = () => Date.now() - lastProgress > stallMs;
  try {
    // Warm-up by count (bench/lib/warmup.mjs): the same JIT exposure on every side.
    const warmup = await warmUp({ count: () => done, ...plan, abort: stalled, everyMs: 20 });
    if (warmup.aborted) throw new Error(`no round trip completed for ${stallMs} ms${unexpected ? `; got ${unexpected}` : ''}`);
    const a = mark(serverPids, done);
    lat.values.length = 0; // keep only measured-window latencies
    lat.seen = 0;
    if (await until(stalled, measureMs, 50)) throw new Error(`round trips stalled during the measurement${unexpected ? `; got ${unexpected}` : ''}`);
    const b = mark(serverPids, done);
    const w = between(a, b);
    return {
      ...w,
      cpuPerEventUs: w.work > 0 ? (w.serverCpuSeconds * 1e6) / w.work : NaN,
      warmup,
      p50Ms: percentile(lat.values, 50),
      p99Ms: percentile(lat.values, 99),
      unexpected,
    };
  } finally {
    stopping = true;
    await until(() => false, 200);
    clearInterval(watch);
    await closeAll(sockets);
  }
}
