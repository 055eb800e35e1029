// Request/reply through the whole system: each of `clients` JSON clients keeps one request in flight
// (closed loop) to the upstream event `echo`, whose handler answers with the payload as text.
// mode "invoke": an `invoke` frame; the reply comes back as its `invokeResponse` (client 1.1.0 invokeEvent).
// mode "event": an `event` frame; the reply comes back as a `from: "server"` message (sendEvent + server message).
// Latency is request sent → reply received.
import { performance } from 'node:perf_hooks';
import { openClients, closeAll, until } from './ws-pool.mjs';
import { clientToken } from '../lib/jwt.mjs';
import { mark, between } from './window.mjs';
import { Reservoir, percentile } from '../lib/stats.mjs';
import { warmUp } from '../lib/warmup.mjs';

export async function run(p) {
  const { port, hub = 'chat', key, clients, mode, warmup: plan, measureMs, serverPids, stallMs = 5000 } = p;
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
    const n = ++seq[i];
    sockets[i].send(
      mode === 'invoke'
        ? `{"type":"invoke","invocationId":"${n}","target":"event","event":"echo","dataType":"text","data":"${i}:${n}"}`
        : `{"type":"event","event":"echo","dataType":"text","data":"${i}:${n}"}`,
    );
  };
  const onFrame = (i, data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'system') return;
    const reply = mode === 'invoke' ? m.type === 'invokeResponse' && m.success === true : m.type === 'message' && m.from === 'server';
    if (!reply || m.data !== `${i}:${seq[i]}`) {
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
    urlFor: (i) => `ws://127.0.0.1:${port}/client/hubs/${hub}?access_token=${clientToken(key, port, hub, `ir-user-${i}`)}`,
    onFrame,
  }));
  for (let i = 0; i < clients; i++) send(i);
  const watch = setInterval(() => {}, 1000);
  const stalled = () => Date.now() - lastProgress > stallMs;
  try {
    const warmup = await warmUp({ count: () => done, ...plan, abort: stalled, everyMs: 20 });
    if (warmup.aborted) throw new Error(`no ${mode} reply for ${stallMs} ms${unexpected ? `; got ${unexpected}` : ''}`);
    const a = mark(serverPids, done);
    lat.values.length = 0; // keep only measured-window latencies
    lat.seen = 0;
    if (await until(stalled, measureMs, 50)) throw new Error(`${mode} replies stalled during the measurement${unexpected ? `; got ${unexpected}` : ''}`);
    const b = mark(serverPids, done);
    return { ...between(a, b), warmup, p50Ms: percentile(lat.values, 50), p99Ms: percentile(lat.values, 99), unexpected };
  } finally {
    stopping = true;
    await until(() => false, 200);
    clearInterval(watch);
    await closeAll(sockets);
  }
}
