// Round trip through the whole system: a JSON client sends a user event `message` {text, group}; the
// emulator posts it upstream; the upstream publishes {from, text, group, at} to the group through REST;
// the client receives it. Each of `clients` clients is alone in its own group and keeps one event in
// flight (closed loop, per-client-loop.mjs). Latency is event sent → own message received.
import { openClients, closeAll, until } from './ws-pool.mjs';
import { clientToken } from '../lib/jwt.mjs';
import { createPerClientLoop, measurePerClientLoop } from './per-client-loop.mjs';

export async function run(p) {
  const { port, hub = 'chat', key, clients, warmup, measureMs, serverPids, stallMs = 5000 } = p;
  let acks = 0;
  let sockets;
  const loop = createPerClientLoop({
    clients,
    request: (i, n) => `{"type":"event","event":"message","dataType":"json","data":{"text":"${i}:${n}","group":"rt${i}"}}`,
    send: (i, text) => sockets[i].send(text),
  });
  const onFrame = (i, data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'ack') {
      if (m.success) acks++;
      else loop.unexpected(data.toString());
      return;
    }
    if (m.type !== 'message' || m.data?.text !== `${i}:${loop.current(i)}`) {
      if (m.type === 'message' && m.from === 'server') return; // an upstream reply body, if any
      loop.unexpected(data.toString().slice(0, 300));
      return;
    }
    loop.replied(i);
  };
  ({ sockets } = await openClients({
    n: clients,
    urlFor: (i) => `ws://127.0.0.1:${port}/client/hubs/${hub}?access_token=${clientToken(key, port, hub, `rt-user-${i}`)}`,
    onFrame,
  }));
  sockets.forEach((ws, i) => ws.send(`{"type":"joinGroup","group":"rt${i}","ackId":1}`));
  if (!(await until(() => acks >= clients, 10000)))
    throw new Error(`only ${acks}/${clients} joinGroup acks${loop.firstUnexpected ? `; got ${loop.firstUnexpected}` : ''}`);
  try {
    const wording = { none: 'no round trip completed', stalled: 'round trips stalled' };
    // Warm-up by count (bench/lib/warmup.mjs): the same JIT exposure on every side.
    const { warmup: warm, p50Ms, p99Ms, unexpected, ...w } = await measurePerClientLoop(loop, { warmup, measureMs, serverPids, stallMs, wording });
    return { ...w, cpuPerEventUs: w.work > 0 ? (w.serverCpuSeconds * 1e6) / w.work : NaN, warmup: warm, p50Ms, p99Ms, unexpected };
  } finally {
    await closeAll(sockets);
  }
}
