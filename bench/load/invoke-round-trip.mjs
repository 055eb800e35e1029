// Request/reply through the whole system: each of `clients` JSON clients keeps one request in flight
// (closed loop, per-client-loop.mjs) to the upstream event `echo`, whose handler answers with the payload as text.
// mode "invoke": an `invoke` frame; the reply comes back as its `invokeResponse` (client 1.1.0 invokeEvent).
// mode "event": an `event` frame; the reply comes back as a `from: "server"` message (sendEvent + server message).
// Latency is request sent → reply received.
import { openClients, closeAll } from './ws-pool.mjs';
import { clientToken } from '../lib/jwt.mjs';
import { createPerClientLoop, measurePerClientLoop } from './per-client-loop.mjs';

export async function run(p) {
  const { port, hub = 'chat', key, clients, mode, warmup, measureMs, serverPids, stallMs = 5000 } = p;
  let sockets;
  const loop = createPerClientLoop({
    clients,
    request: (i, n) =>
      mode === 'invoke'
        ? `{"type":"invoke","invocationId":"${n}","target":"event","event":"echo","dataType":"text","data":"${i}:${n}"}`
        : `{"type":"event","event":"echo","dataType":"text","data":"${i}:${n}"}`,
    send: (i, text) => sockets[i].send(text),
  });
  const onFrame = (i, data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'system') return;
    const reply = mode === 'invoke' ? m.type === 'invokeResponse' && m.success === true : m.type === 'message' && m.from === 'server';
    if (!reply || m.data !== `${i}:${loop.current(i)}`) {
      loop.unexpected(data.toString().slice(0, 300));
      return;
    }
    loop.replied(i);
  };
  ({ sockets } = await openClients({
    n: clients,
    urlFor: (i) => `ws://127.0.0.1:${port}/client/hubs/${hub}?access_token=${clientToken(key, port, hub, `ir-user-${i}`)}`,
    onFrame,
  }));
  try {
    const wording = { none: `no ${mode} reply`, stalled: `${mode} replies stalled` };
    return await measurePerClientLoop(loop, { warmup, measureMs, serverPids, stallMs, wording });
  } finally {
    await closeAll(sockets);
  }
}
