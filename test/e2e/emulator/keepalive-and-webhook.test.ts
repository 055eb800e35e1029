import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningEmulator } from '../../../emulator/server';
import { WebhookClient } from '../../../emulator/upstream/webhook-client';
import { clientUrl, RawClient, start } from '../../support/emulator-harness';

describe('keepalive', () => {
  let emulator: RunningEmulator;
  const clients: RawClient[] = [];
  beforeAll(async () => {
    emulator = await start({ hubs: { fast: { webSocketKeepAliveIntervalInSeconds: 0.2 } } });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(() => emulator.close());

  it('sends WebSocket pings and terminates a client that does not answer them', async () => {
    const silent = await RawClient.open(await clientUrl(emulator, 'fast'), undefined, { autoPong: false });
    clients.push(silent);
    const pinged = new Promise<void>((r) => silent.ws.once('ping', () => r()));
    await pinged;
    expect((await silent.closed).code).toBe(1006);
  });

  it('keeps a client that answers pings', async () => {
    const polite = await RawClient.open(await clientUrl(emulator, 'fast'), 'json.webpubsub.azure.v1');
    clients.push(polite);
    let pings = 0;
    await new Promise<void>((r) => polite.ws.on('ping', () => ++pings === 3 && r()));
    polite.send({ type: 'ping' });
    expect(await polite.find((m) => m.type === 'pong')).toEqual({ type: 'pong' });
  });
});

describe('WebhookClient retries', () => {
  let server: http.Server;
  let url: string;
  const statuses: number[] = [];
  let script: number[] = [];
  const client = new WebhookClient();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = script.shift() ?? 200;
        statuses.push(status);
        if (status === 0) return; // never answer: a timeout
        res.writeHead(status, { 'x-ce-id': String(req.headers['ce-id']) });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterEach(() => {
    statuses.length = 0;
  });
  afterAll(async () => {
    client.close();
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });

  const post = () =>
    client.sendWithRetry({ method: 'POST', url, headers: { 'ce-id': '7' }, body: Buffer.from('{}') }, { timeoutMs: 2000, retryDelaysMs: [1, 1, 1] });

  it('retries 408 and 5xx with the same request, up to 4 attempts', async () => {
    script = [500, 408, 503, 502];
    const res = await post();
    expect(statuses).toEqual([500, 408, 503, 502]);
    expect(res.status).toBe(502);
    expect(res.headers['x-ce-id']).toBe('7');
  });

  it('stops at the first success and does not retry other 4xx', async () => {
    script = [500, 200];
    expect((await post()).status).toBe(200);
    script = [429];
    expect((await post()).status).toBe(429);
    expect(statuses).toEqual([500, 200, 429]);
  });

  it('does not retry a timeout', async () => {
    script = [0];
    await expect(client.sendWithRetry({ method: 'POST', url, headers: {} }, { timeoutMs: 100, retryDelaysMs: [1, 1] })).rejects.toMatchObject({
      timedOut: true,
    });
    expect(statuses).toEqual([0]);
  });

  it('retries network errors and reports the last one', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const closed = `http://127.0.0.1:${port}/`;
    await expect(client.sendWithRetry({ method: 'POST', url: closed, headers: {} }, { timeoutMs: 2000, retryDelaysMs: [1] })).rejects.toMatchObject({
      timedOut: false,
    });
  });

  it("sends a handler URL's user info as Basic credentials, unless the request carries its own Authorization", async () => {
    const seen: (string | undefined)[] = [];
    const auth = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((r) => auth.listen(0, '127.0.0.1', r));
    const port = (auth.address() as AddressInfo).port;
    try {
      expect((await client.send({ method: 'POST', url: `http://hook%40user:p%3Ass@127.0.0.1:${port}/`, headers: {} }, 2000)).status).toBe(200);
      const bearer = { authorization: 'Bearer t' };
      expect((await client.send({ method: 'POST', url: `http://hook%40user:p%3Ass@127.0.0.1:${port}/`, headers: bearer }, 2000)).status).toBe(200);
    } finally {
      auth.closeAllConnections();
      await new Promise((r) => auth.close(r));
    }
    expect(seen).toEqual([`Basic ${Buffer.from('hook@user:p:ss').toString('base64')}`, 'Bearer t']);
  });
});
