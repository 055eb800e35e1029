// Closed-loop keep-alive HTTP load: `concurrency` workers, each sends its next request when the previous
// answer is complete. Counts answers with an accepted status; any other status fails the run.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { mark, between } from './window.mjs';
import { Reservoir, percentile } from '../lib/stats.mjs';
import { warmUp } from '../lib/warmup.mjs';

export async function run(p) {
  const { url, method = 'GET', headers = {}, body, concurrency = 32, warmup: plan, measureMs, serverPids, okStatus = [200] } = p;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const payload = body === undefined ? undefined : Buffer.from(body);
  const allHeaders = payload ? { ...headers, 'content-length': payload.length } : headers;
  let done = 0;
  let bad = 0;
  let firstBad = null;
  let measuring = false;
  let stopping = false;
  const lat = new Reservoir(50000);
  const one = () =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.request(url, { method, agent, headers: allHeaders }, (res) => {
        let text = '';
        res.on('data', (c) => {
          if (text.length < 300) text += c;
        });
        res.on('end', () => {
          if (okStatus.includes(res.statusCode)) {
            done++;
            if (measuring) lat.add(performance.now() - t0);
          } else {
            bad++;
            firstBad ??= `${res.statusCode} ${text.slice(0, 200)}`;
          }
          resolve();
        });
      });
      req.on('error', (e) => {
        bad++;
        firstBad ??= e.message;
        resolve();
      });
      req.end(payload);
    });
  const worker = async () => {
    while (!stopping && bad === 0) await one();
  };
  const workers = Array.from({ length: concurrency }, worker);
  // Warm-up by count (bench/lib/warmup.mjs), so the JIT has seen the same traffic on both sides.
  const warmup = await warmUp({ count: () => done, ...plan, abort: () => bad > 0 });
  measuring = true;
  const a = mark(serverPids, done);
  await new Promise((r) => setTimeout(r, measureMs));
  const b = mark(serverPids, done);
  stopping = true;
  await Promise.race([Promise.all(workers), new Promise((r) => setTimeout(r, 5000))]);
  agent.destroy();
  if (bad) throw new Error(`${bad} requests failed; first: ${firstBad}`);
  return { ...between(a, b), warmup, p50Ms: percentile(lat.values, 50), p99Ms: percentile(lat.values, 99) };
}
