import { decodeJwt } from 'jose';
import { createSignalRService, keyTokenSource } from '../../../../shared/signalr/rest-client';

interface Call {
  method: string;
  url: string;
  auth: string;
  body?: unknown;
}

function fakeFetch(status = 202): { calls: Call[]; fetchImpl: typeof fetch } {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    calls.push({ method: init.method!, url, auth: headers['Authorization']!, ...(init.body ? { body: JSON.parse(init.body as string) } : {}) });
    return new Response(status === 204 ? null : '', { status });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe('createSignalRService', () => {
  it('maps each operation to its 2022-06-01 route with a token for the URL without query', async () => {
    const { calls, fetchImpl } = fakeFetch(200);
    const s = createSignalRService({ endpoint: 'https://x.service.signalr.net', hub: 'chat', token: keyTokenSource('key'), fetchImpl });
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
    const missing = fakeFetch(404);
    const s = createSignalRService({ endpoint: 'https://x', hub: 'chat', token: async () => 't', fetchImpl: missing.fetchImpl });
    expect(await s.connectionExists('c1')).toBe(false);
    await expect(s.sendToUser('secret-user', 't', [])).rejects.toMatchObject({ status: 502, upstreamStatus: 404 });
    await expect(s.sendToUser('secret-user', 't', [])).rejects.toThrow(/^(?!.*secret-user)/);
    const down = createSignalRService({
      endpoint: 'https://x',
      hub: 'chat',
      token: async () => 't',
      fetchImpl: (async () => Promise.reject(new Error('ECONNREFUSED'))) as unknown as typeof fetch,
    });
    await expect(down.sendToAll('t', [])).rejects.toMatchObject({ status: 502 });
  });
});
