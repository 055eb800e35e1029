// Broadcast fan-out: REST `:send` POSTs (keep-alive) → every one of N JSON clients receives the frame.
// Closed loop: at most `window` messages may be undelivered at once; with burst B, B POSTs are written
// in the same tick on B keep-alive sockets so the server sees several messages per socket in one turn.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { openClients, closeAll, until } from './ws-pool.mjs';
import { clientToken, restToken } from '../lib/jwt.mjs';
import { mark, between } from './window.mjs';
import { warmUp } from '../lib/warmup.mjs';
import { Reservoir, percentile } from '../lib/stats.mjs';

export async function run(p) {
  const { port, hub = 'chat', key, n, burst = 1, payloadBytes = 100, warmup: plan, measureMs, serverPids } = p;
  const window = Math.max(2 * burst, p.window ?? 4);
  let delivered = 0;
  let anomalies = 0;
  let sample = null;
  const onFrame = (_i, data) => {
    delivered++;
    if ((delivered & 1023) === 0) {
      const m = JSON.parse(data.toString());
      if (m.type !== 'message') anomalies++;
      sample ??= m;
    }
    if (delivered >= gate) onProgress();
  };
  const { sockets } = await openClients({
    n,
    urlFor: (i) => `ws://127.0.0.1:${port}/client/hubs/${hub}?access_token=${clientToken(key, port, hub, `u${i}`)}`,
    onFrame,
  });

  const url = `http://127.0.0.1:${port}/api/hubs/${hub}/:send?api-version=2024-12-01`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${restToken(key, url)}` };
  const agent = new http.Agent({ keepAlive: true, maxSockets: burst });
  const filler = 'x'.repeat(Math.max(0, payloadBytes - 40));
  let posted = 0;
  let completed = 0; // messages delivered to all N (approximate under interleaving)
  let gate = Infinity;
  let stopping = false;
  let failures = 0;
  let firstFailure = null;
  const postedAt = [];
  const completion = new Reservoir(20000);

  // A POST that fails at the socket level (a keep-alive race) is sent again, at most 3 times, so the
  // delivery accounting stays exact; any non-2xx answer fails the run.
  let retried = 0;
  let tornDown = false;
  const post = (seq, attempt = 0) => {
    const body = `{"seq":${seq},"text":"${filler}"}`;
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      if (res.statusCode !== 202 && res.statusCode !== 200) {
        failures++;
        firstFailure ??= `POST answered ${res.statusCode}`;
      }
      res.resume();
    });
    req.on('error', (e) => {
      // Requests cut by our own agent.destroy() at the end are not the server's failures.
      if (tornDown) return;
      // Retried while draining too: a POST already counted as posted must still be delivered.
      if (attempt < 3) {
        retried++;
        return post(seq, attempt + 1);
      }
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
    while (!stopping && posted - completed + burst <= window) {
      const now = performance.now();
      for (let k = 0; k < burst; k++) {
        postedAt[posted] = now;
        post(posted++);
      }
    }
    gate = (completed + 1) * n;
  }

  pump();
  const stall = setInterval(() => {}, 1000); // keep the loop alive while waiting
  // Warm-up by deliveries (the per-delivery path is the hot one) and a minimum time (bench/lib/warmup.mjs).
  const warmup = await warmUp({ count: () => delivered, ...plan });
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
  // Every accepted POST must reach every client: a run that lost messages is a failure, not a figure.
  if (!drained) throw new Error(`messages lost: ${delivered} of ${posted * n} deliveries arrived within 5 s of the last POST`);
  if (anomalies) throw new Error(`${anomalies} sampled frames were not messages: ${JSON.stringify(sample)}`);
  return {
    ...between(a, b),
    warmup,
    messagesPerSecond: (completion.seen - cA) / ((b.t - a.t) / 1000),
    completionP50Ms: percentile(completion.values, 50),
    completionP99Ms: percentile(completion.values, 99),
    drained,
    retriedPosts: retried,
    sampleFrame: sample,
  };
}
