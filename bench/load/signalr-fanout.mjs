// SignalR fan-out: REST `:send` POSTs (api-version 2022-06-01, keep-alive) → every one of N SignalR
// clients on WebSockets with the JSON hub protocol receives the invocation. The clients are raw `ws`
// sockets: negotiate (when `negotiate`), then the transport URL, then the handshake, as @microsoft/signalr
// does; after that each counts invocation records. Closed loop: at most `window` messages undelivered.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { signJwt, restToken } from '../lib/jwt.mjs';
import { mark, between } from './window.mjs';
import { Reservoir, percentile } from '../lib/stats.mjs';
import { closeAll, until } from './ws-pool.mjs';

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
  const { port, hub = 'chat', key, n, payloadBytes = 100, warmupMs, measureMs, serverPids, negotiate = true } = p;
  const window = p.window ?? 4;
  let delivered = 0;
  let gate = Infinity;
  let sample = null;
  /** Counts invocation records; pings (type 6) and anything else are skipped. */
  const onFrame = (data) => {
    let start = 0;
    while (start < data.length) {
      let end = data.indexOf(RS, start);
      if (end < 0) end = data.length;
      if (data.compare(INVOCATION, 0, INVOCATION.length, start, start + INVOCATION.length) === 0) {
        delivered++;
        if ((delivered & 1023) === 1) sample ??= data.subarray(start, end).toString();
      }
      start = end + 1;
    }
    if (delivered >= gate) onProgress();
  };
  const sockets = [];
  for (let from = 0; from < n; from += 50) {
    const batch = [];
    for (let i = from; i < Math.min(n, from + 50); i++)
      batch.push(transportUrl(port, hub, key, `u${i}`, negotiate).then((url) => openClient(url, `client ${i}`, onFrame)));
    sockets.push(...(await Promise.all(batch)));
  }

  const url = `http://127.0.0.1:${port}/api/hubs/${hub}/:send?api-version=2022-06-01`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${restToken(key, url.split('?')[0])}` };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const filler = 'x'.repeat(Math.max(0, payloadBytes - 40));
  let posted = 0;
  let completed = 0;
  let stopping = false;
  let failures = 0;
  let firstFailure = null;
  let tornDown = false;
  const postedAt = [];
  const completion = new Reservoir(20000);

  const post = (seq, attempt = 0) => {
    const body = `{"target":"message","arguments":[{"seq":${seq},"text":"${filler}"}]}`;
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      if (res.statusCode !== 202) {
        failures++;
        firstFailure ??= `POST answered ${res.statusCode}`;
      }
      res.resume();
    });
    req.on('error', (e) => {
      if (tornDown) return;
      if (attempt < 3) return post(seq, attempt + 1);
      failures++;
      firstFailure ??= e.message;
    });
    req.end(body);
  };
  function onProgress() {
    const now = performance.now();
    while (delivered >= (completed + 1) * n && completed < posted) {
      completion.add(now - postedAt[completed]);
      postedAt[completed] = undefined;
      completed++;
    }
    pump();
  }
  function pump() {
    while (!stopping && posted - completed < window) {
      postedAt[posted] = performance.now();
      post(posted++);
    }
    gate = (completed + 1) * n;
  }

  pump();
  const stall = setInterval(() => {}, 1000);
  await new Promise((r) => setTimeout(r, warmupMs));
  const a = mark(serverPids, delivered);
  const cA = completion.seen;
  await new Promise((r) => setTimeout(r, measureMs));
  const b = mark(serverPids, delivered);
  stopping = true;
  const drained = await until(() => delivered >= posted * n, 5000);
  clearInterval(stall);
  tornDown = true;
  agent.destroy();
  await closeAll(sockets);
  if (failures) throw new Error(`${failures} POSTs failed (${firstFailure})`);
  if (!drained) throw new Error(`messages lost: ${delivered} of ${posted * n} deliveries arrived within 5 s of the last POST`);
  const parsed = sample && JSON.parse(sample);
  if (parsed?.target !== 'message' || typeof parsed.arguments?.[0]?.seq !== 'number') throw new Error(`a sampled record is not the invocation sent: ${sample}`);
  return {
    ...between(a, b),
    messagesPerSecond: (completion.seen - cA) / ((b.t - a.t) / 1000),
    completionP50Ms: percentile(completion.values, 50),
    completionP99Ms: percentile(completion.values, 99),
    drained,
  };
}
