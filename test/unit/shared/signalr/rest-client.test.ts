import { decodeJwt } from 'jose';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpExchange } from '../../../../shared/http/http-exchange';
import { createSignalRService, keyTokenSource } from '../../../../shared/signalr/rest-client';

interface Call {
  method: string;
  url: string;
  auth: string;
  body?: unknown;
}

function fakeExchange(status = 202): { calls: Call[]; exchange: HttpExchange } {
  const calls: Call[] = [];
  const exchange: HttpExchange = async (r) => {
    calls.push({ method: r.method, url: r.url, auth: String(r.headers['Authorization']), ...(r.body ? { body: JSON.parse(r.body as string) } : {}) });
    return { status, headers: {}, body: Buffer.alloc(0) };
  };
  return { calls, exchange };
}

describe('createSignalRService', () => {
  it('maps each operation to its 2022-06-01 route with a token for the URL without query', async () => {
    const { calls, exchange } = fakeExchange(200);
    const s = createSignalRService({ endpoint: 'https://x.service.signalr.net', hub: 'chat', token: keyTokenSource('key'), exchange });
    await s.sendToAll('t', [1], ['c9']);
    await s.sendToUser('u 1', 't', []);
    await s.sendToGroup('g/1', 't', ['a']);
    await s.sendToConnection('c1', 't', []);
    await s.addConnectionToGroup('g', 'c1');
    await s.removeConnectionFromGroup('g', 'c1');
    await s.addUserToGroup('g', 'u');
    await s.removeUserFromGroup('g', 'u');
    await s.closeConnection('c1', 'bye');
    expect(calls.map((c) => `${c.method} ${c.url.replace('https://x.service.signalr.net', '')}`)).toEqual([
      'POST /api/hubs/chat/:send?api-version=2022-06-01&excluded=c9',
      'POST /api/hubs/chat/users/u%201/:send?api-version=2022-06-01',
      'POST /api/hubs/chat/groups/g%2F1/:send?api-version=2022-06-01',
      'POST /api/hubs/chat/connections/c1/:send?api-version=2022-06-01',
      'PUT /api/hubs/chat/groups/g/connections/c1?api-version=2022-06-01',
      'DELETE /api/hubs/chat/groups/g/connections/c1?api-version=2022-06-01',
      'PUT /api/hubs/chat/users/u/groups/g?api-version=2022-06-01',
      'DELETE /api/hubs/chat/users/u/groups/g?api-version=2022-06-01',
      'DELETE /api/hubs/chat/connections/c1?api-version=2022-06-01&reason=bye',
    ]);
    expect(calls[0]!.body).toEqual({ target: 't', arguments: [1] });
    const claims = decodeJwt(calls[0]!.auth.replace('Bearer ', ''));
    expect(claims.aud).toBe('https://x.service.signalr.net/api/hubs/chat/:send');
    expect(claims.exp! - claims.iat!).toBe(300);
  });

  it('answers existence checks and turns refusals into a 502 ServiceError without echoing names', async () => {
    const missing = fakeExchange(404);
    const s = createSignalRService({ endpoint: 'https://x', hub: 'chat', token: async () => 't', exchange: missing.exchange });
    expect(await s.connectionExists('c1')).toBe(false);
    await expect(s.sendToUser('secret-user', 't', [])).rejects.toMatchObject({ status: 502, upstreamStatus: 404 });
    await expect(s.sendToUser('secret-user', 't', [])).rejects.toThrow(/^(?!.*secret-user)/);
    const down = createSignalRService({
      endpoint: 'https://x',
      hub: 'chat',
      token: async () => 't',
      exchange: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    });
    await expect(down.sendToAll('t', [])).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/cannot be reached/) });
  });

  it('gives up on a service that does not answer (502 after the timeout) instead of waiting for ever', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const s = createSignalRService({ endpoint, hub: 'chat', token: async () => 't', timeoutMs: 100 });
      await expect(s.sendToAll('t', [])).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/did not answer within 100 ms/) });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('sends over its default keep-alive transport to a real server', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers['content-type']} ${body}`);
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const s = createSignalRService({ endpoint, hub: 'chat', token: async () => 't' });
      await s.sendToGroup('room', 'newMessage', [{ text: 'hi' }]);
      expect(seen).toEqual([
        'POST /api/hubs/chat/groups/room/:send?api-version=2022-06-01 application/json {"target":"newMessage","arguments":[{"text":"hi"}]}',
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
