// Token minting in one process (pinned to the server core): the project's key issuer
// (shared/auth/client-access-token-issuer.ts createKeyTokenIssuer, bundled by the orchestrator) or @azure/web-pubsub's
// WebPubSubServiceClient.getClientAccessToken. Awaited one at a time, or `concurrency` at once.
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

export async function run(p) {
  const { impl, bundle, key, concurrency = 1, warmupMs, measureMs } = p;
  const endpoint = 'http://127.0.0.1:8080';
  const roles = ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'];
  let mint;
  if (impl === 'ours') {
    const { createKeyTokenIssuer } = await import(bundle);
    const issue = createKeyTokenIssuer({ endpoint, accessKey: key, lifetimeMinutes: 60 });
    mint = (i) => issue({ hub: 'chat', userId: `user-${i}`, roles, groups: [] });
  } else {
    const require = createRequire(new URL('../../package.json', import.meta.url));
    const { WebPubSubServiceClient } = require('@azure/web-pubsub');
    const client = new WebPubSubServiceClient(`Endpoint=${endpoint};AccessKey=${key};Version=1.0;`, 'chat', { allowInsecureConnection: true });
    mint = (i) => client.getClientAccessToken({ userId: `user-${i}`, roles, expirationTimeInMinutes: 60 });
  }
  const sample = await mint(0);
  if (!sample?.token || !sample?.url) throw new Error(`${impl} issuer returned no token`);
  let i = 0;
  const loop = async (untilMs) => {
    let n = 0;
    while (performance.now() < untilMs) {
      if (concurrency === 1) {
        await mint(i++);
        n++;
      } else {
        const batch = [];
        for (let k = 0; k < concurrency; k++) batch.push(mint(i++));
        await Promise.all(batch);
        n += concurrency;
      }
    }
    return n;
  };
  await loop(performance.now() + warmupMs);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const n = await loop(t0 + measureMs);
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { perSecond: n / seconds, usPerToken: (seconds * 1e6) / n, perCpuSecond: n / ((c.user + c.system) / 1e6), tokenBytes: sample.token.length };
}
