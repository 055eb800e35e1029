// MQTT fan-out: one MQTT publisher, N MQTT subscribers on one topic, QoS 0, MQTT 3.1.1 over WebSocket.
// Closed loop (fanout-loop.mjs): at most `window` publishes may be undelivered at once. The clients are raw `ws` sockets
// speaking mqtt-packet, so the load generator spends little per delivery. Each subscriber parses its
// stream (a broker may split one packet over several WebSocket frames) and counts PUBLISH packets.
import WebSocket from 'ws';
import mqttPacket from 'mqtt-packet';
import { signJwt, CLIENT_ROLES } from '../lib/jwt.mjs';
import { createFanoutLoop, measureFanoutLoop } from './fanout-loop.mjs';

const TOPIC = 'fan';
const V = { protocolVersion: 4 };

function mqttUrl(port, hub, key, userId) {
  const now = Math.floor(Date.now() / 1000);
  const token = signJwt({ aud: `http://127.0.0.1:${port}/clients/mqtt/hubs/${hub}`, iat: now, exp: now + 3600, sub: userId, role: CLIENT_ROLES }, key);
  return `ws://127.0.0.1:${port}/clients/mqtt/hubs/${hub}?access_token=${token}`;
}

/** Opens an MQTT client: CONNECT → CONNACK, then SUBSCRIBE → SUBACK when `subscribe`. Later packets go to onPacket. */
function openMqtt(url, clientId, subscribe, onPacket) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'mqtt', { perMessageDeflate: false, handshakeTimeout: 30000 });
    const parser = mqttPacket.parser(V);
    let ready = false;
    parser.on('packet', (p) => {
      if (p.cmd === 'connack') {
        if (p.returnCode !== 0) return reject(new Error(`${clientId}: CONNACK ${p.returnCode}`));
        if (!subscribe) return done();
        ws.send(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: TOPIC, qos: 0 }] }, V));
      } else if (p.cmd === 'suback') {
        if (p.granted[0] !== 0) return reject(new Error(`${clientId}: SUBACK ${p.granted[0]}`));
        done();
      } else if (ready) onPacket(p);
    });
    const done = () => {
      ready = true;
      resolve(ws);
    };
    ws.on('open', () => ws.send(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 120 }, V)));
    ws.on('message', (data) => parser.parse(data));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`${clientId}: upgrade answered ${res.statusCode}`)));
    ws.on('error', (e) => reject(new Error(`${clientId}: ${e.message}`)));
  });
}

export async function run(p) {
  const { port, hub = 'chat', key, n, payloadBytes = 100, warmup, measureMs, serverPids } = p;
  const payload = Buffer.from(`{"text":"${'x'.repeat(Math.max(0, payloadBytes - 11))}"}`);
  const frame = mqttPacket.generate({ cmd: 'publish', topic: TOPIC, payload, qos: 0, dup: false, retain: false }, V);
  let publisher;
  const loop = createFanoutLoop({ n, window: p.window ?? 4, send: () => publisher.send(frame) });
  let sample = null;
  const onPacket = (packet) => {
    if (packet.cmd !== 'publish') return;
    if ((loop.deliver() & 1023) === 1) sample ??= packet;
  };
  const sockets = [];
  for (let from = 0; from < n; from += 25) {
    const batch = [];
    for (let i = from; i < Math.min(n, from + 25); i++) batch.push(openMqtt(mqttUrl(port, hub, key, `s${i}`), `s${i}`, true, onPacket));
    sockets.push(...(await Promise.all(batch)));
  }
  publisher = await openMqtt(mqttUrl(port, hub, key, 'pub'), 'publisher', false, () => {});
  sockets.push(publisher);

  // Warm-up by deliveries (the per-delivery path is the hot one) and a minimum time (bench/lib/warmup.mjs).
  const result = await measureFanoutLoop(loop, { warmup, measureMs, serverPids });
  for (const ws of sockets) ws.terminate();
  if (!result.drained) throw new Error(`messages lost: ${loop.delivered} of ${loop.expected} deliveries arrived within 5 s of the last publish`);
  if (sample?.topic !== TOPIC || !Buffer.from(sample.payload).equals(payload))
    throw new Error(`a sampled PUBLISH is not the one sent: ${JSON.stringify(sample)}`);
  return result;
}
