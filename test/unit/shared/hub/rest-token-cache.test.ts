import { createEmptyPipeline, createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  createRestTokenCache,
  REST_TOKEN_LIFETIME_SECONDS,
  REST_TOKEN_POLICY_NAME,
  REST_TOKEN_RENEW_BEFORE_SECONDS,
  restTokenPolicy,
} from '../../../../shared/hub/rest-token-cache';

const KEY = 'LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789';
const SEND = 'https://contoso.webpubsub.azure.com/api/hubs/chat/:send?api-version=2024-12-01';
const GROUP = 'https://contoso.webpubsub.azure.com/api/hubs/chat/groups/g1/:send?api-version=2024-12-01';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function clock(start = T0) {
  let t = start;
  return { now: () => t, advance: (seconds: number) => (t += seconds * 1000) };
}

describe('REST token cache (docs/protocol/auth.md §4)', () => {
  it('signs the token the service expects: HS256 with the access key, aud = the whole URL, exp one hour on', async () => {
    const c = clock();
    const token = await createRestTokenCache({ accessKey: KEY, now: c.now }).tokenFor(SEND);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(KEY), {
      audience: SEND,
      currentDate: new Date(T0),
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ aud: SEND, iat: T0 / 1000, exp: T0 / 1000 + 3600 });
    expect(REST_TOKEN_LIFETIME_SECONDS).toBe(3600);
    await expect(jwtVerify(token, new TextEncoder().encode(`${KEY}x`), { currentDate: new Date(T0) })).rejects.toThrow();
  });

  it('reuses the token for one URL until the renewal margin before its expiry', async () => {
    const c = clock();
    const cache = createRestTokenCache({ accessKey: KEY, now: c.now });
    const first = await cache.tokenFor(SEND);
    c.advance(REST_TOKEN_LIFETIME_SECONDS - REST_TOKEN_RENEW_BEFORE_SECONDS - 1);
    expect(await cache.tokenFor(SEND)).toBe(first);
    c.advance(1);
    const renewed = await cache.tokenFor(SEND);
    expect(renewed).not.toBe(first);
    // The renewed token is valid for a full lifetime from now, so no sent token is ever within 5 minutes of expiry.
    expect(decodeJwt(renewed).exp).toBe(c.now() / 1000 + REST_TOKEN_LIFETIME_SECONDS);
    expect(cache.size).toBe(1);
  });

  it('gives each URL its own token, the query included (the SDK and the service compare the whole URL)', async () => {
    const cache = createRestTokenCache({ accessKey: KEY, now: clock().now });
    const withExcluded = `${SEND}&excluded=c1`;
    const [a, b, c] = await Promise.all([cache.tokenFor(SEND), cache.tokenFor(GROUP), cache.tokenFor(withExcluded)]);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(decodeJwt(a).aud).toBe(SEND);
    expect(decodeJwt(b).aud).toBe(GROUP);
    expect(decodeJwt(c).aud).toBe(withExcluded);
  });

  it('concurrent calls for one URL share one signature', async () => {
    const cache = createRestTokenCache({ accessKey: KEY, now: clock().now });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => cache.tokenFor(SEND)));
    expect(new Set(tokens).size).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('holds at most maxEntries URLs, dropping the oldest first', async () => {
    const c = clock();
    const cache = createRestTokenCache({ accessKey: KEY, now: c.now, maxEntries: 2 });
    const first = await cache.tokenFor(`${SEND}&n=1`);
    c.advance(1);
    await cache.tokenFor(`${SEND}&n=2`);
    const third = await cache.tokenFor(`${SEND}&n=3`);
    expect(cache.size).toBe(2);
    // n=1 was evicted, so it is signed again (a later iat, another token); n=3 was kept.
    expect(await cache.tokenFor(`${SEND}&n=1`)).not.toBe(first);
    expect(await cache.tokenFor(`${SEND}&n=3`)).toBe(third);
    expect(cache.size).toBe(2);
  });

  it('refuses a renewal margin as long as the lifetime (every token would be renewed at once)', () => {
    expect(() => createRestTokenCache({ accessKey: KEY, lifetimeSeconds: 300, renewBeforeSeconds: 300 })).toThrow(RangeError);
    expect(() => createRestTokenCache({ accessKey: KEY, renewBeforeSeconds: -1 })).toThrow(RangeError);
  });
});

describe('restTokenPolicy', () => {
  it('sets the bearer token for the URL the request has when it reaches the policy', async () => {
    const c = clock();
    const pipeline = createEmptyPipeline();
    pipeline.addPolicy({
      name: 'rewrite',
      sendRequest: (request, next) => {
        request.url = GROUP;
        return next(request);
      },
    });
    pipeline.addPolicy(restTokenPolicy(createRestTokenCache({ accessKey: KEY, now: c.now })));
    const seen: string[] = [];
    const httpClient = {
      sendRequest: async (request: ReturnType<typeof createPipelineRequest>): Promise<PipelineResponse> => {
        seen.push(request.headers.get('authorization') ?? '');
        return { request, status: 202, headers: createHttpHeaders() };
      },
    };
    await pipeline.sendRequest(httpClient, createPipelineRequest({ url: SEND, method: 'POST' }));
    await pipeline.sendRequest(httpClient, createPipelineRequest({ url: SEND, method: 'POST' }));
    expect(pipeline.getOrderedPolicies().map((p) => p.name)).toEqual(['rewrite', REST_TOKEN_POLICY_NAME]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(seen[1]).toBe(seen[0]);
    const token = seen[0]!.slice('Bearer '.length);
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    expect(decodeJwt(token).aud).toBe(GROUP);
  });
});
