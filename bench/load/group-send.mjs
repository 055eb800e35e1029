// Group send between clients: N JSON clients in groups of G; one sender per group sends
// `sendToGroup` frames (fire-and-forget, echo on) round-robin over the groups; every member gets each one.
// Closed loop: at most `window` messages undelivered at once.
import { openClients, closeAll, until } from './ws-pool.mjs';
import { clientToken } from '../lib/jwt.mjs';
import { mark, between } from './window.mjs';
import { warmUp } from '../lib/warmup.mjs';

export async function run(p) {
  const { port, hub = 'chat', key, n, groupSize, payloadBytes = 100, warmup: plan, measureMs, serverPids } = p;
  const groups = Math.floor(n / groupSize);
  const window = p.window ?? Math.max(4, Math.ceil(4000 / groupSize));
  let acks = 0;
  let ackFailures = 0;
  let delivered = 0;
  let anomalies = 0;
  let sample = null;
  let measuring = false;
  let gate = Infinity;
  const onFrame = (_i, data) => {
    if (!measuring) {
      const m = JSON.parse(data.toString());
      if (m.type === 'ack') {
        acks++;
        if (!m.success) ackFailures++;
        return;
      }
    }
    delivered++;
    if ((delivered & 1023) === 0) {
      const m = JSON.parse(data.toString());
      if (m.type !== 'message') anomalies++;
      sample ??= m;
    }
    if (delivered >= gate) pump();
  };
  const { sockets } = await openClients({
    n: groups * groupSize,
    urlFor: (i) => `ws://127.0.0.1:${port}/client/hubs/${hub}?access_token=${clientToken(key, port, hub, `u${i}`)}`,
    onFrame,
  });
  sockets.forEach((ws, i) => ws.send(`{"type":"joinGroup","group":"g${Math.floor(i / groupSize)}","ackId":1}`));
  if (!(await until(() => acks >= sockets.length, 10000))) throw new Error(`only ${acks}/${sockets.length} joinGroup acks`);
  if (ackFailures) throw new Error(`${ackFailures} joinGroup acks were failures`);
  measuring = true;

  const filler = 'x'.repeat(Math.max(0, payloadBytes - 40));
  const frames = Array.from({ length: groups }, (_, g) => `{"type":"sendToGroup","group":"g${g}","dataType":"json","data":{"text":"${filler}"}}`);
  let sent = 0;
  let stopping = false;
  function pump() {
    while (!stopping && sent * groupSize - delivered < window * groupSize) {
      const g = sent % groups;
      sockets[g * groupSize].send(frames[g]);
      sent++;
    }
    gate = delivered + groupSize;
  }
  pump();
  const keep = setInterval(() => {}, 1000);
  // Warm-up by deliveries (the per-delivery path is the hot one) and a minimum time (bench/lib/warmup.mjs).
  const warmup = await warmUp({ count: () => delivered, ...plan });
  const a = mark(serverPids, delivered);
  const sentA = sent;
  await new Promise((r) => setTimeout(r, measureMs));
  const b = mark(serverPids, delivered);
  const inbound = sent - sentA;
  stopping = true;
  const drained = await until(() => delivered >= sent * groupSize, 5000);
  clearInterval(keep);
  await closeAll(sockets);
  if (anomalies) throw new Error(`${anomalies} sampled frames were not messages: ${JSON.stringify(sample)}`);
  const w = between(a, b);
  return { ...w, warmup, inboundPerSecond: inbound / w.seconds, drained, sampleFrame: sample };
}
