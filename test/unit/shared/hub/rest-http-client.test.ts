import { createHttpHeaders, createPipelineRequest, isRestError, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createRestHttpClient, isPlain } from '../../../../shared/hub/rest-http-client';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local server whose answer each test chooses; records what it received. */
async function server(answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
}

const request = (url: string, init: Partial<PipelineRequest> = {}): PipelineRequest => {
  const r = createPipelineRequest({ url, method: 'POST', allowInsecureConnection: true });
  return Object.assign(r, init);
};

describe('createRestHttpClient', () => {
  const client = createRestHttpClient();
  let srv: Awaited<ReturnType<typeof server>>;
  afterEach(async () => srv?.close());

  it('sends the method, path with query, headers and body, and returns status, headers and text', async () => {
    srv = await server((_req, res) => res.writeHead(202, { 'x-ms-request-id': 'r1', 'content-type': 'application/json' }).end('{"ok":true}'));
    const req = request(`${srv.base}/api/hubs/chat/groups/a%20b/:send?api-version=2024-01-01`, {
      headers: createHttpHeaders({ Authorization: 'Bearer t', 'Content-Type': 'application/json' }),
      body: '{"text":"héllo"}',
    });
    const res = await client.sendRequest(req);
    expect(res.status).toBe(202);
    expect(res.headers.get('x-ms-request-id')).toBe('r1');
    expect(res.bodyAsText).toBe('{"ok":true}');
    expect(res.request).toBe(req);
    expect(srv.seen[0]).toMatchObject({ method: 'POST', url: '/api/hubs/chat/groups/a%20b/:send?api-version=2024-01-01', body: '{"text":"héllo"}' });
    expect(srv.seen[0]!.headers.authorization).toBe('Bearer t');
    // Content-Length counts bytes, not characters.
    expect(srv.seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength('{"text":"héllo"}')));
  });

  it('sends byte bodies and reuses keep-alive sockets for calls in sequence', async () => {
    const sockets = new Set<unknown>();
    srv = await server((req, res) => {
      sockets.add(req.socket);
      res.writeHead(202).end();
    });
    for (let i = 0; i < 6; i++) {
      const res = await client.sendRequest(request(`${srv.base}/x`, { body: new Uint8Array([1, 2, 3]) }));
      expect(res.status).toBe(202);
    }
    expect(srv.seen.map((s) => s.body.length)).toEqual([3, 3, 3, 3, 3, 3]);
    // A pool: a call made as the previous one completes may take a second connection, never one per call.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('decodes a gzip reply when the pipeline asked for compression, as the SDK client does', async () => {
    srv = await server((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('{"value":[]}')));
    const res = await client.sendRequest(request(`${srv.base}/x`, { method: 'GET', headers: createHttpHeaders({ 'Accept-Encoding': 'gzip,deflate' }) }));
    expect(res.bodyAsText).toBe('{"value":[]}');
  });

  it('answers HEAD without a body', async () => {
    srv = await server((_req, res) => res.writeHead(200, { 'content-length': '5' }).end());
    const res = await client.sendRequest(request(`${srv.base}/x`, { method: 'HEAD' }));
    expect(res.status).toBe(200);
    expect(res.bodyAsText).toBeUndefined();
  });

  it('rejects with an AbortError when the signal is already aborted, without sending', async () => {
    srv = await server((_req, res) => res.writeHead(202).end());
    const err = await client.sendRequest(request(`${srv.base}/x`, { abortSignal: AbortSignal.abort() })).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(srv.seen).toHaveLength(0);
  });

  it('rejects with an AbortError when the signal fires mid-call, and removes its listener when done', async () => {
    srv = await server(() => undefined); // never answers
    const controller = new AbortController();
    const pending = client.sendRequest(request(`${srv.base}/x`, { abortSignal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    // A shared, long-lived signal (call-deadline.ts) must not collect one listener per call.
    const shared = new AbortController();
    let added = 0;
    let removed = 0;
    const add = shared.signal.addEventListener.bind(shared.signal);
    const remove = shared.signal.removeEventListener.bind(shared.signal);
    shared.signal.addEventListener = ((...a: Parameters<typeof add>) => (added++, add(...a))) as typeof add;
    shared.signal.removeEventListener = ((...a: Parameters<typeof remove>) => (removed++, remove(...a))) as typeof remove;
    await srv.close();
    srv = await server((_req, res) => res.writeHead(202).end());
    for (let i = 0; i < 3; i++) await client.sendRequest(request(`${srv.base}/x`, { abortSignal: shared.signal }));
    expect([added, removed]).toEqual([3, 3]);
  });

  it('times out the whole exchange after `timeout` ms with an AbortError', async () => {
    srv = await server(() => undefined);
    await expect(client.sendRequest(request(`${srv.base}/x`, { timeout: 50 }))).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('turns a refused connection into a RestError carrying the system code (the SDK retry policy retries on it)', async () => {
    srv = await server((_req, res) => res.writeHead(202).end());
    const url = `${srv.base}/x`;
    await srv.close();
    const err = await client.sendRequest(request(url)).catch((e: unknown) => e);
    expect(isRestError(err)).toBe(true);
    expect((err as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('refuses http:// unless the request allows insecure connections, as the SDK client does', async () => {
    srv = await server((_req, res) => res.writeHead(202).end());
    await expect(client.sendRequest(request(`${srv.base}/x`, { allowInsecureConnection: false }))).rejects.toThrow(/allowInsecureConnection/);
    expect(srv.seen).toHaveLength(0);
  });

  it('hands every request it does not carry itself to the fallback client unchanged', async () => {
    const calls: PipelineRequest[] = [];
    const fallback: HttpClient = { sendRequest: async (r) => (calls.push(r), { request: r, status: 299, headers: createHttpHeaders() }) };
    const withFallback = createRestHttpClient(fallback);
    const streamed = request('http://127.0.0.1:9/x', { body: () => Readable.from(['a']) });
    const res = await withFallback.sendRequest(streamed);
    expect(res.status).toBe(299);
    expect(calls).toEqual([streamed]);
  });
});

describe('isPlain', () => {
  const base = () => createPipelineRequest({ url: 'https://x.webpubsub.azure.com/api' });
  it('accepts string, byte and empty bodies', () => {
    expect(isPlain(base())).toBe(true);
    expect(isPlain(Object.assign(base(), { body: 'x' }))).toBe(true);
    expect(isPlain(Object.assign(base(), { body: Buffer.from('x') }))).toBe(true);
  });
  it.each([
    ['a stream body', { body: Readable.from(['a']) }],
    ['a function body', { body: () => Readable.from(['a']) }],
    ['a custom agent (a proxy)', { agent: new http.Agent() }],
    ['proxy settings', { proxySettings: { host: 'http://proxy', port: 8080 } }],
    ['TLS settings', { tlsSettings: { ca: 'x' } }],
    ['keep-alive off', { disableKeepAlive: true }],
    ['upload progress', { onUploadProgress: () => undefined }],
    ['download progress', { onDownloadProgress: () => undefined }],
    ['streamed replies', { streamResponseStatusCodes: new Set([200]) }],
    ['request overrides', { requestOverrides: { lookup: () => undefined } }],
  ])('leaves %s to the SDK client', (_name, init) => {
    expect(isPlain(Object.assign(base(), init))).toBe(false);
  });
});
