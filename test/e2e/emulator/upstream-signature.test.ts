import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningEmulator } from '../../../emulator/server';
import { verifySignature } from '../../../shared/auth/upstream-signature';
import { clientUrl, KEY, RawClient, SECONDARY_KEY, start } from '../../support/emulator-harness';

/** A tiny upstream that checks every request the way the Functions extension does (docs/protocol/sdk-notes.md §4). */
describe('upstream requests: headers, signature and validation', () => {
  let emulator: RunningEmulator;
  let server: http.Server;
  const requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const waiters: (() => void)[] = [];
  let allowedOrigin = 'localhost';
  const clients: RawClient[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        for (const w of waiters.splice(0)) w();
        if (req.url!.startsWith('/getonly/') && req.method !== 'POST') {
          // A server without an OPTIONS route: the emulator falls back to GET (docs/protocol/cloud-events.md §2).
          res.writeHead(req.method === 'OPTIONS' ? 404 : 200, req.method === 'GET' ? { 'WebHook-Allowed-Origin': '*' } : {});
          res.end();
          return;
        }
        if (req.method === 'OPTIONS') {
          // express with allowedEndpoints: one header line per allowed host.
          res.setHeader('WebHook-Allowed-Origin', ['contoso.webpubsub.azure.com', allowedOrigin]);
          res.end();
          return;
        }
        const ok = verifySignature(req.headers['ce-connectionid'] as string, req.headers['ce-signature'] as string, [KEY]);
        res.writeHead(ok ? 204 : 401);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    emulator = await start({
      keys: [KEY, SECONDARY_KEY],
      hubs: {
        chat: { eventHandlers: [{ urlTemplate: `${base}/events/{hub}/{event}?code=secret`, systemEvents: ['connect', 'connected'] }] },
        strict: { eventHandlers: [{ urlTemplate: `${base}/strict/{event}`, systemEvents: ['connect'] }] },
        getonly: { eventHandlers: [{ urlTemplate: `${base}/getonly/{event}`, systemEvents: ['connect'] }] },
      },
    });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await emulator.close();
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });

  const waitFor = async (pred: (r: (typeof requests)[number]) => boolean) => {
    for (;;) {
      const hit = requests.find(pred);
      if (hit) return hit;
      await new Promise<void>((r) => waiters.push(r));
    }
  };

  it('validates once with OPTIONS (origin localhost, ce-awpsversion) and signs with both keys', async () => {
    const c = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'sig' }), 'json.webpubsub.azure.v1');
    clients.push(c);
    const id = (await c.json(0)).connectionId as string;
    const options = await waitFor((r) => r.method === 'OPTIONS' && r.url.startsWith('/events/chat/validate'));
    expect(options.headers['webhook-request-origin']).toBe('localhost');
    expect(options.headers['ce-awpsversion']).toBe('1.0');
    const connected = await waitFor((r) => r.method === 'POST' && r.headers['ce-eventname'] === 'connected' && r.headers['ce-connectionid'] === id);
    const h = connected.headers;
    expect(connected.url).toBe('/events/chat/connected?code=secret');
    expect(h).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'webhook-request-origin': 'localhost',
      'ce-specversion': '1.0',
      'ce-awpsversion': '1.0',
      'ce-type': 'azure.webpubsub.sys.connected',
      'ce-source': `/hubs/chat/client/${id}`,
      'ce-hub': 'chat',
      'ce-userid': 'sig',
      'ce-subprotocol': 'json.webpubsub.azure.v1',
    });
    expect(h['ce-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(connected.body).toBe('{}');
    const entries = (h['ce-signature'] as string).split(',');
    expect(entries).toHaveLength(2);
    expect(verifySignature(id, entries[0], [KEY])).toBe(true);
    expect(verifySignature(id, entries[1], [SECONDARY_KEY])).toBe(true);
    // Validation is cached per resolved URL: connect + connected used two URLs, each validated once.
    const second = await RawClient.open(await clientUrl(emulator, 'chat'), 'json.webpubsub.azure.v1');
    clients.push(second);
    await second.json(0);
    expect(requests.filter((r) => r.method === 'OPTIONS' && r.url.startsWith('/events/chat/validate'))).toHaveLength(1);
  });

  it('fails the connect event (500) when validation names another origin, and retries validation later', async () => {
    allowedOrigin = 'elsewhere.example';
    expect(await RawClient.refusal(await clientUrl(emulator, 'strict'))).toBe(500);
    expect(requests.some((r) => r.url.startsWith('/strict/connect'))).toBe(false);
    allowedOrigin = `localhost:${emulator.port}`;
    const c = await RawClient.open(await clientUrl(emulator, 'strict'));
    clients.push(c);
    expect(requests.filter((r) => r.method === 'OPTIONS' && r.url === '/strict/validate')).toHaveLength(2);
    expect(requests.some((r) => r.method === 'POST' && r.url === '/strict/connect')).toBe(true);
  });

  it('falls back to GET when the validation OPTIONS answers 404', async () => {
    const c = await RawClient.open(await clientUrl(emulator, 'getonly'));
    clients.push(c);
    expect(requests.filter((r) => r.url === '/getonly/validate').map((r) => r.method)).toEqual(['OPTIONS', 'GET']);
    expect(requests.some((r) => r.method === 'POST' && r.url === '/getonly/connect')).toBe(true);
  });
});
