// Broadcast fan-out: REST `:send` POSTs (keep-alive) → every one of N JSON clients receives the frame.
// Closed loop (fanout-loop.mjs): at most `window` messages may be undelivered at once; with burst B, B POSTs
// are written in the same tick on B keep-alive sockets so the server sees several messages per socket in one turn.
import { openClients, closeAll } from './ws-pool.mjs';
import { clientToken, restToken } from '../lib/jwt.mjs';
import { createFanoutLoop, measureFanoutLoop } from './fanout-loop.mjs';
import { createPoster } from './rest-poster.mjs';

export async function run(p) {
  const { port, hub = 'chat', key, n, burst = 1, payloadBytes = 100, warmup, measureMs, serverPids } = p;
  const window = Math.max(2 * burst, p.window ?? 4);
  const url = `http://127.0.0.1:${port}/api/hubs/${hub}/:send?api-version=2024-12-01`;
  const filler = 'x'.repeat(Math.max(0, payloadBytes - 40));
  const poster = createPoster({
    url,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${restToken(key, url)}` },
    maxSockets: burst,
    okStatus: [202, 200],
    body: (seq) => `{"seq":${seq},"text":"${filler}"}`,
  });
  const loop = createFanoutLoop({ n, window, burst, send: poster.post });
  let anomalies = 0;
  let sample = null;
  const onFrame = (_i, data) => {
    if ((loop.deliver() & 1023) === 0) {
      const m = JSON.parse(data.toString());
      if (m.type !== 'message') anomalies++;
      sample ??= m;
    }
  };
  const { sockets } = await openClients({
    n,
    urlFor: (i) => `ws://127.0.0.1:${port}/client/hubs/${hub}?access_token=${clientToken(key, port, hub, `u${i}`)}`,
    onFrame,
  });

  // Warm-up by deliveries (the per-delivery path is the hot one) and a minimum time (bench/lib/warmup.mjs).
  const result = await measureFanoutLoop(loop, { warmup, measureMs, serverPids });
  poster.close();
  await closeAll(sockets);
  const { failures, firstFailure, retried } = poster.stats;
  if (failures) throw new Error(`${failures} POSTs failed (${firstFailure})`);
  // Every accepted POST must reach every client: a run that lost messages is a failure, not a figure.
  if (!result.drained) throw new Error(`messages lost: ${loop.delivered} of ${loop.expected} deliveries arrived within 5 s of the last POST`);
  if (anomalies) throw new Error(`${anomalies} sampled frames were not messages: ${JSON.stringify(sample)}`);
  return { ...result, retriedPosts: retried, sampleFrame: sample };
}
