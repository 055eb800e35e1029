// SignalR fan-out: REST `:send` POSTs (api-version 2022-06-01, keep-alive) → every one of N SignalR
// clients on WebSockets with the JSON hub protocol receives the invocation. The clients are raw `ws`
// sockets: negotiate (when `negotiate`), then the transport URL, then the handshake, as @microsoft/signalr
// does; after that each counts invocation records. Closed loop (fanout-loop.mjs): at most `window` messages undelivered.
import WebSocket from 'ws';
import { signJwt, restToken } from '../lib/jwt.mjs';
import { createFanoutLoop, measureFanoutLoop } from './fanout-loop.mjs';
import { createPoster } from './rest-poster.mjs';
import { closeAll } from './ws-pool.mjs';

const RS = 0x1e;
const HANDSHAKE = '{"protocol":"json","version":1}\x1e';
/** `{"type":1,` — the start of every invocation record the servers write. */
const INVOCATION = Buffer.from('{"type":1,');

function clientToken(key, port, hub, userId) {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ aud: `http://127.0.0.1:${port}/client/?hub=${hub}`, iat: now, exp: now + 3600, nameid: userId }, key);
}

/** Negotiate (version 1) → the transport URL of a new connection, with the token in the query as browsers send it. */
async function transportUrl(port, hub, key, userId, negotiate) {
  const token = clientToken(key, port, hub, userId);
  if (!negotiate) return `ws://127.0.0.1:${port}/client/?hub=${hub}&access_token=${token}`;
  const res = await negotiateOnce(`http://127.0.0.1:${port}/client/negotiate?hub=${hub}&negotiateVersion=1`, token);
  if (res.status !== 200) throw new Error(`${userId}: negotiate answered ${res.status}`);
  const { connectionToken } = await res.json();
  return `ws://127.0.0.1:${port}/client/?hub=${hub}&id=${encodeURIComponent(connectionToken)}&access_token=${token}`;
}

/** A negotiate cut at the socket level (a reset on a loaded machine) is tried again, at most 3 times. */
async function negotiateOnce(url, token, attempt = 0) {
  try {
    return await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  } catch (e) {
    if (attempt >= 3) throw new Error(`negotiate failed: ${e.cause?.message ?? e.message}`, { cause: e });
    return negotiateOnce(url, token, attempt + 1);
  }
}

/** Opens one client and completes the handshake; later frames go to onFrame. */
function openClient(url, name, onFrame) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: 10000 });
    let open = false;
    ws.on('open', () => ws.send(HANDSHAKE));
    ws.on('message', (data) => {
      if (open) return onFrame(data);
      const text = data.toString();
      if (!text.startsWith('{}')) return reject(new Error(`${name}: handshake refused: ${text}`));
      open = true;
      resolve(ws);
      // Records after the handshake response in the same frame (none expected) still count.
      const rest = data.subarray(data.indexOf(RS) + 1);
      if (rest.length > 0) onFrame(rest);
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`${name}: upgrade answered ${res.statusCode}`)));
    ws.on('error', (e) => reject(new Error(`${name}: ${e.message}`)));
    ws.on('close', (code) => !open && reject(new Error(`${name}: closed ${code} before the handshake`)));
  });
}

export async function run(p) {
  const { port, hub = 'chat', key, n, payloadBytes = 100, warmup, measureMs, serverPids, negotiate = true } = p;
  const url = `http://127.0.0.1:${port}/api/hubs/${hub}/:send?api-version=2022-06-01`;
  const filler = 'x'.repeat(Math.max(0, payloadBytes - 40));
  const poster = createPoster({
    url,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${restToken(key, url.split('?')[0])}` },
    maxSockets: 1,
    okStatus: [202],
    body: (seq) => `{"target":"message","arguments":[{"seq":${seq},"text":"${filler}"}]}`,
  });
  const loop = createFanoutLoop({ n, window: p.window ?? 4, send: poster.post });
  let sample = null;
  /** Counts invocation records; pings (type 6) and anything else are skipped. */
  const onFrame = (data) => {
    const before = loop.delivered;
    let records = 0;
    let start = 0;
    while (start < data.length) {
      let end = data.indexOf(RS, start);
      if (end < 0) end = data.length;
      if (data.compare(INVOCATION, 0, INVOCATION.length, start, start + INVOCATION.length) === 0) {
        records++;
        if (((before + records) & 1023) === 1) sample ??= data.subarray(start, end).toString();
      }
      start = end + 1;
    }
    loop.deliver(records);
  };
  const sockets = [];
  for (let from = 0; from < n; from += 50) {
    const batch = [];
    for (let i = from; i < Math.min(n, from + 50); i++)
      batch.push(transportUrl(port, hub, key, `u${i}`, negotiate).then((url) => openClient(url, `client ${i}`, onFrame)));
    sockets.push(...(await Promise.all(batch)));
  }

  // Warm-up by deliveries (the per-delivery path is the hot one) and a minimum time (bench/lib/warmup.mjs).
  const result = await measureFanoutLoop(loop, { warmup, measureMs, serverPids });
  poster.close();
  await closeAll(sockets);
  const { failures, firstFailure } = poster.stats;
  if (failures) throw new Error(`${failures} POSTs failed (${firstFailure})`);
  if (!result.drained) throw new Error(`messages lost: ${loop.delivered} of ${loop.expected} deliveries arrived within 5 s of the last POST`);
  const parsed = sample && JSON.parse(sample);
  if (parsed?.target !== 'message' || typeof parsed.arguments?.[0]?.seq !== 'number') throw new Error(`a sampled record is not the invocation sent: ${sample}`);
  return result;
}
