import { UpstreamServiceError } from '../../../../shared/http/errors';
import { ACCESS_KEY_API_VERSION, createTemporaryKeySource, TEMPORARY_KEY_REUSE_MS } from '../../../../shared/signalr/temporary-key-source';

/** A fake service: answers /api/auth/accessKey with numbered keys, or with `answer` when set. */
function fakeService(answer?: () => Response) {
  const calls: { url: string; authorization: string | null }[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    calls.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    if (answer) return answer();
    return new Response(JSON.stringify({ KeyId: `kid-${calls.length}`, AccessKey: `key-${calls.length}` }), { status: 200 });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('createTemporaryKeySource (docs/protocol/signalr.md §6.2)', () => {
  it('asks GET /api/auth/accessKey with the Entra token and reads { KeyId, AccessKey }', async () => {
    const { calls, fetchImpl } = fakeService();
    const source = createTemporaryKeySource({ endpoint: 'https://s.service.signalr.net', token: async () => 'entra-token', fetchImpl });
    await expect(source()).resolves.toEqual({ keyId: 'kid-1', accessKey: 'key-1' });
    expect(calls).toEqual([
      { url: `https://s.service.signalr.net/api/auth/accessKey?api-version=${ACCESS_KEY_API_VERSION}`, authorization: 'Bearer entra-token' },
    ]);
  });

  it('reuses a key for 55 minutes, then fetches a new one; concurrent callers share one request', async () => {
    let now = 0;
    const { calls, fetchImpl } = fakeService();
    const source = createTemporaryKeySource({ endpoint: 'https://s', token: async () => 't', fetchImpl, now: () => now });
    const [a, b] = await Promise.all([source(), source()]);
    expect(a).toEqual(b);
    now = TEMPORARY_KEY_REUSE_MS - 1;
    expect((await source()).keyId).toBe('kid-1');
    now = TEMPORARY_KEY_REUSE_MS;
    expect((await source()).keyId).toBe('kid-2');
    expect(calls).toHaveLength(2);
  });

  it.each<[string, () => Response]>([
    ['a refusal (403)', () => new Response('{"code":"Forbidden"}', { status: 403 })],
    ['a body without the key', () => new Response('{"KeyId":"k"}', { status: 200 })],
    ['a body that is not JSON', () => new Response('<html>', { status: 200 })],
  ])('%s is a 502 ServiceError, not cached', async (_n, answer) => {
    const { calls, fetchImpl } = fakeService(answer);
    const source = createTemporaryKeySource({ endpoint: 'https://s', token: async () => 't', fetchImpl });
    await expect(source()).rejects.toBeInstanceOf(UpstreamServiceError);
    await expect(source()).rejects.toMatchObject({ status: 502 });
    expect(calls).toHaveLength(2);
  });
});
