import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpExchange, ReplyReadError } from '../../../../shared/http/http-exchange';

async function server(handler: http.RequestListener) {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return {
    base,
    close: async () => {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    },
  };
}

describe('createHttpExchange', () => {
  const exchange = createHttpExchange();
  let srv: Awaited<ReturnType<typeof server>> | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('returns status, headers and the whole body; counts Content-Length in bytes unless given', async () => {
    let length: string | undefined;
    srv = await server((req, res) => {
      length = req.headers['content-length'];
      req.resume();
      req.on('end', () => res.writeHead(200, { 'x-a': '1' }).end('{"a":"é"}'));
    });
    const reply = await exchange({ url: `${srv.base}/p?q=1`, method: 'POST', headers: { 'content-type': 'application/json' }, body: 'é' });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-a']).toBe('1');
    expect(reply.body.toString('utf8')).toBe('{"a":"é"}');
    expect(length).toBe('2');
  });

  it('answers HEAD with an empty body', async () => {
    srv = await server((_req, res) => res.writeHead(200, { 'content-length': '10' }).end());
    const reply = await exchange({ url: `${srv.base}/`, method: 'HEAD', headers: {} });
    expect(reply).toMatchObject({ status: 200 });
    expect(reply.body.length).toBe(0);
  });

  it('rejects a header the HTTP client refuses instead of throwing', async () => {
    srv = await server((_req, res) => res.end());
    await expect(exchange({ url: `${srv.base}/`, method: 'GET', headers: { 'x-bad': 'a\nb' } })).rejects.toMatchObject({ code: 'UND_ERR_INVALID_ARG' });
  });

  it('names connection failures by their Node system codes, which the SDK retry policy retries on', async () => {
    // A connection closed before any reply: ECONNRESET (undici calls it UND_ERR_SOCKET).
    srv = await server((req) => req.socket.destroy());
    await expect(exchange({ url: `${srv.base}/`, method: 'POST', headers: {}, body: '{}' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    const base = srv.base;
    await srv.close();
    srv = undefined;
    // Nothing listens any more: ECONNREFUSED, as Node raised it.
    await expect(exchange({ url: `${base}/`, method: 'POST', headers: {}, body: '{}' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('sends numeric header values as text and reuses keep-alive connections for calls in sequence', async () => {
    const sockets = new Set<unknown>();
    const seen: (string | string[] | undefined)[] = [];
    srv = await server((req, res) => {
      sockets.add(req.socket);
      seen.push(req.headers['x-n']);
      req.resume();
      req.on('end', () => res.writeHead(202, { 'content-length': '0' }).end());
    });
    for (let i = 0; i < 6; i++) expect((await exchange({ url: `${srv.base}/`, method: 'POST', headers: { 'x-n': i }, body: '{}' })).status).toBe(202);
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5']);
    // A pool: a call made as the previous one completes may take a second connection, never one per call.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('rejects an unsupported protocol and a malformed URL', async () => {
    await expect(exchange({ url: 'ftp://example.com/x', method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'ERR_INVALID_PROTOCOL' });
    await expect(exchange({ url: 'not a url', method: 'GET', headers: {} })).rejects.toThrow();
  });

  it('reports a reply cut mid-body as a ReplyReadError', async () => {
    srv = await server((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await expect(exchange({ url: `${srv.base}/`, method: 'GET', headers: {} })).rejects.toBeInstanceOf(ReplyReadError);
  });

  it('aborts on its signal and on its timeout with an AbortError', async () => {
    srv = await server(() => undefined);
    const controller = new AbortController();
    const pending = exchange({ url: `${srv.base}/`, method: 'GET', headers: {}, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(exchange({ url: `${srv.base}/`, method: 'GET', headers: {}, timeoutMs: 50 })).rejects.toMatchObject({
      name: 'AbortError',
      message: expect.stringMatching(/timed out after 50 ms/),
    });
  });
});
