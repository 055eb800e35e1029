// Scenario 6: upstream event handler requests per second. The same `connect` CloudEvent (headers per
// cloud-events.md §3, a valid ce-signature) is POSTed over keep-alive HTTP to the functions app through
// the local host (/api/eventhandler, verifies the signature) and to @azure/web-pubsub-express's handler
// (which never verifies signatures), both answering an accepted connect.
import { runAgent, compare, row } from '../lib/harness.mjs';
import { startLocalHost, startSdkApp } from '../lib/systems.mjs';
import { hmacHex } from '../lib/jwt.mjs';

export const title = 'Event handler requests';

export function connectEvent(key, connectionId = 'bench-connection-0001') {
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    claims: { sub: ['bench-user'], role: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'], exp: [String(now + 3600)] },
    query: {},
    headers: { 'Sec-WebSocket-Protocol': ['json.webpubsub.azure.v1'] },
    subprotocols: ['json.webpubsub.azure.v1'],
    clientCertificates: [],
  });
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'webhook-request-origin': 'localhost',
    'ce-specversion': '1.0',
    'ce-awpsversion': '1.0',
    'ce-type': 'azure.webpubsub.sys.connect',
    'ce-source': `/hubs/chat/client/${connectionId}`,
    'ce-id': '0',
    'ce-time': new Date().toISOString(),
    'ce-hub': 'chat',
    'ce-connectionid': connectionId,
    'ce-eventname': 'connect',
    'ce-userid': 'bench-user',
    'ce-signature': `sha256=${hmacHex(key, connectionId)}`,
  };
  return { headers, body };
}

export async function run(ctx) {
  const timing = ctx.quick ? { warmupMs: 300, measureMs: 1000 } : { warmupMs: 1000, measureMs: 3000 };
  const concurrency = 32;
  const { headers, body } = connectEvent(ctx.key);
  const measure = async (start, path) => {
    const sys = await start({ key: ctx.key });
    try {
      return await runAgent('http-load', { url: `http://127.0.0.1:${sys.port}${path}`, method: 'POST', headers, body, okStatus: [200, 204], concurrency, serverPids: sys.pids, ...timing });
    } finally {
      await sys.stop();
    }
  };
  const m = await compare(ctx, 'event handler', {
    ours: () => measure(startLocalHost, '/api/eventhandler'),
    baseline: () => measure(startSdkApp, '/api/webpubsub/hubs/chat/'),
  });
  const s = `6. Event handler, connect event (${concurrency} keep-alive clients)`;
  row(ctx, { scenario: s, metric: 'requests/s (wall)', m, key: 'perSecond', target: { op: '>=', ratio: 2 }, notes: 'ours via the local host over HTTP, signature checked; express never checks it' });
  row(ctx, { scenario: s, metric: 'requests per server-CPU-s', m, key: 'perCpuSecond', notes: '' });
  row(ctx, { scenario: s, metric: 'p99 latency ms', m, key: 'p99Ms', better: 'lower', notes: '' });
}
