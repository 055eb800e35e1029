// Connect storm: opens `n` JSON clients with valid tokens in batches of `batch` (each batch ready before
// the next: ready = first frame received), then measures the server's RSS growth per idle connection.
import { openClients, closeAll } from './ws-pool.mjs';
import { clientToken } from '../lib/jwt.mjs';
import { mark, between } from './window.mjs';
import { rssBytes } from '../lib/proc.mjs';
import { percentile } from '../lib/stats.mjs';
import { warmupState } from '../lib/warmup.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function run(p) {
  const { port, hub = 'chat', key, n, batch = 200, serverPids, settleMs = 1500, warmup: plan = { events: 200, maxMs: 20000 } } = p;
  const pid = serverPids[0];
  // Tokens are signed before the clock starts so only the server's work is timed.
  const urls = Array.from({ length: n }, (_, i) => `ws://127.0.0.1:${port}/client/hubs/${hub}?access_token=${clientToken(key, port, hub, `u${i}`)}`);
  // Warm the server's handshake path by count (bench/lib/warmup.mjs): batches opened and closed again, so
  // at most one batch is open at a time and the idle RSS taken after it is not inflated. The emulator's
  // upgrade path (token check, connection set-up) is longer than bare ws's, so a warm-up of one batch
  // measured more of it cold.
  const t0 = Date.now();
  let warmed = 0;
  while (warmupState({ count: warmed, elapsedMs: Date.now() - t0, ...plan }) === 'warming') {
    const size = Math.min(batch, n);
    const warm = await openClients({ n: size, urlFor: (i) => urls[(warmed + i) % n], batch });
    await closeAll(warm.sockets);
    warmed += size;
  }
  const warmup = { events: warmed, ms: Date.now() - t0, capped: warmed < plan.events };
  await sleep(settleMs);
  const rssBefore = rssBytes(pid);
  const a = mark(serverPids, 0);
  const { sockets, handshakeMs } = await openClients({ n, urlFor: (i) => urls[i], batch, timeoutMs: 60000 });
  const b = mark(serverPids, n);
  await sleep(settleMs);
  const rssAfter = rssBytes(pid);
  await closeAll(sockets, 10000);
  const w = between(a, b);
  return {
    ...w,
    warmup,
    rssBeforeMB: rssBefore / 2 ** 20,
    rssAfterMB: rssAfter / 2 ** 20,
    rssPerConnectionKB: (rssAfter - rssBefore) / n / 1024,
    handshakeP50Ms: percentile(handshakeMs, 50),
    handshakeP99Ms: percentile(handshakeMs, 99),
  };
}
