// Opens many WebSocket clients in batches and hands over their traffic after the first frame.
import WebSocket from 'ws';
import { performance } from 'node:perf_hooks';

export const JSON_PROTOCOL = 'json.webpubsub.azure.v1';

/**
 * Opens `n` clients (batches of `batch`, each batch fully ready before the next) and resolves when each has
 * received its first frame (the `system/connected` frame). `onFrame(i, data)` gets every later frame.
 * Resolves { sockets, handshakeMs: number[] , elapsedMs }. Rejects on the first failure (with its cause).
 */
export async function openClients({ n, urlFor, batch = 200, onFrame = () => {}, timeoutMs = 30000 }) {
  const sockets = new Array(n);
  const handshakeMs = new Array(n);
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(n, from + batch);
    const ready = [];
    for (let i = from; i < to; i++) {
      ready.push(
        new Promise((resolve, reject) => {
          const t0 = performance.now();
          const ws = new WebSocket(urlFor(i), JSON_PROTOCOL, { perMessageDeflate: false, handshakeTimeout: 10000 });
          sockets[i] = ws;
          let first = true;
          ws.on('message', (data) => {
            if (first) {
              first = false;
              handshakeMs[i] = performance.now() - t0;
              return resolve();
            }
            onFrame(i, data);
          });
          ws.on('unexpected-response', (_req, res) => reject(new Error(`client ${i}: upgrade answered ${res.statusCode}`)));
          ws.on('error', (e) => reject(new Error(`client ${i}: ${e.message}`)));
          ws.on('close', (code) => first && reject(new Error(`client ${i}: closed ${code} before the first frame`)));
        }),
      );
    }
    await Promise.race([
      Promise.all(ready),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`clients ${from}..${to - 1} not ready in time`)), Math.max(1, deadline - Date.now())).unref(),
      ),
    ]);
  }
  return { sockets, handshakeMs, elapsedMs: performance.now() - started };
}

/** Closes every socket and waits (bounded) for the close handshakes. */
export async function closeAll(sockets, timeoutMs = 5000) {
  const open = sockets.filter((ws) => ws && ws.readyState === WebSocket.OPEN);
  await Promise.race([
    Promise.all(
      open.map(
        (ws) =>
          new Promise((r) => {
            ws.once('close', r);
            ws.close();
          }),
      ),
    ),
    new Promise((r) => setTimeout(r, timeoutMs).unref()),
  ]);
  for (const ws of sockets) ws?.terminate();
}

/** Waits until `predicate()` holds (checked every `everyMs`), or `timeoutMs` passes; resolves whether it held. */
export async function until(predicate, timeoutMs, everyMs = 5) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return true;
}
