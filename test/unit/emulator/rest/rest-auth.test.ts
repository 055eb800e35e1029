import { SignJWT, UnsecuredJWT } from 'jose';
import { UnauthorizedError } from '../../../../emulator/core/service-errors';
import { VerifiedTokenCache } from '../../../../emulator/auth/verified-token-cache';
import { authenticateRequest } from '../../../../emulator/rest/rest-auth';

const KEY = 'primary-key-0123456789-0123456789';
const SECONDARY = 'secondary-key-0123456789-01234567';
const NOW = 1_800_000_000;
const url = {
  scheme: 'http',
  host: '127.0.0.1:8080',
  target: '/api/hubs/Hub1/users/user%2F1%20x/:send?api-version=2024-12-01&filter=userId%20eq%20%27o%27%27x%27',
};
const base = 'http://127.0.0.1:8080';
const sign = (claims: Record<string, unknown>, key = KEY) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(key));
const check =
  (token: string, keys = [KEY]) =>
  () =>
    authenticateRequest(`Bearer ${token}`, url, keys, NOW);

describe('authenticateRequest (docs/protocol/auth.md §4)', () => {
  it.each([
    ['the full URL with the query as sent (JS SDK)', base + url.target],
    ['the URL without the query (docs)', `${base}/api/hubs/Hub1/users/user%2F1%20x/:send`],
    ['the URL-decoded form', `${base}/api/hubs/Hub1/users/user/1 x/:send`],
    ['the URL-decoded form with query', `${base}/api/hubs/Hub1/users/user/1 x/:send?api-version=2024-12-01&filter=userId eq 'o''x'`],
    ['a different letter case', `HTTP://127.0.0.1:8080/API/HUBS/hub1/users/USER%2F1%20X/:SEND`],
    ['a trailing slash', `${base}/api/hubs/Hub1/users/user%2F1%20x/:send/`],
    ['an array aud containing the URL', [`${base}/elsewhere`, base + url.target]],
  ])('accepts aud = %s', async (_name, aud) => {
    expect(check(await sign({ aud, exp: NOW + 3600, iat: NOW }))).not.toThrow();
  });

  it('accepts a token signed with the secondary key and honours nbf within the skew (.NET SDK)', async () => {
    expect(check(await sign({ aud: base + url.target, exp: NOW + 300, nbf: NOW + 200 }, SECONDARY), [KEY, SECONDARY])).not.toThrow();
  });

  const rejected: [string, () => Promise<string>, RegExp][] = [
    ['signed with a key that is not configured', () => sign({ aud: base + url.target, exp: NOW + 60 }, SECONDARY), /signature is invalid/],
    ['expired beyond the 5-minute skew', () => sign({ aud: base + url.target, exp: NOW - 301 }), /expired/],
    ['not valid yet', () => sign({ aud: base + url.target, exp: NOW + 900, nbf: NOW + 400 }), /not valid yet/],
    ['without exp', () => sign({ aud: base + url.target }), /no expiration time/],
    ['with alg none', async () => new UnsecuredJWT({ aud: base + url.target, exp: NOW + 60 }).encode(), /HS256/],
    ['for another path', () => sign({ aud: `${base}/api/hubs/Hub1/:send`, exp: NOW + 60 }), /audience/],
    ['for another host', () => sign({ aud: `http://localhost:8080${url.target}`, exp: NOW + 60 }), /audience/],
    ['for another scheme', () => sign({ aud: `https://127.0.0.1:8080${url.target}`, exp: NOW + 60 }), /audience/],
    ['that is a client token for the hub', () => sign({ aud: `${base}/client/hubs/Hub1`, exp: NOW + 60, sub: 'u' }), /audience/],
    ['with a prefix of the URL as aud', () => sign({ aud: `${base}/api/hubs/Hub1`, exp: NOW + 60 }), /audience/],
    ['with no aud', () => sign({ exp: NOW + 60 }), /audience/],
  ];
  it.each(rejected)('rejects a token %s with 401', async (_name, make, message) => {
    const token = await make();
    let caught: unknown;
    try {
      check(token)();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnauthorizedError);
    expect((caught as UnauthorizedError).status).toBe(401);
    expect((caught as Error).message).toMatch(message);
    // The reason travels in the bearer challenge, as ASP.NET's JWT handler writes it.
    expect((caught as UnauthorizedError).headers?.['www-authenticate']).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    expect((caught as UnauthorizedError).headers?.['www-authenticate']).toMatch(message);
    // Never echo the credential.
    expect((caught as Error).message).not.toContain(token.split('.')[1]!);
  });

  it.each([
    ['a missing header', undefined, /missing/],
    ['a Basic header', 'Basic dXNlcjpwYXNz', /Bearer/],
    ['an empty bearer', 'Bearer ', /Bearer/],
    ['garbage', 'Bearer not-a-jwt', /well-formed/],
  ])('rejects %s', (_name, header, message) => {
    expect(() => authenticateRequest(header, url, [KEY], NOW)).toThrow(message);
  });

  it('answers a request without credentials with the bare Bearer challenge (RFC 6750 §3)', () => {
    let caught: unknown;
    try {
      authenticateRequest(undefined, url, [KEY], NOW);
    } catch (e) {
      caught = e;
    }
    expect((caught as UnauthorizedError).headers).toEqual({ 'www-authenticate': 'Bearer' });
  });
});

describe('authenticateRequest with a verified-token cache', () => {
  /** Counts the lookups the cache answered, so a test can tell a cached acceptance from a full check. */
  class CountingCache extends VerifiedTokenCache<true> {
    hits = 0;
    override get(key: string, generation: object, nowMs: number): true | undefined {
      const value = super.get(key, generation, nowMs);
      if (value !== undefined) this.hits++;
      return value;
    }
  }
  const keys = [KEY];
  const aud = base + url.target;
  const otherHub = { ...url, target: url.target.replace('/hubs/Hub1/', '/hubs/Hub2/') };
  const run = (token: string, cache: CountingCache, options: { at?: number; on?: typeof url; with?: string[] } = {}) =>
    authenticateRequest(`Bearer ${token}`, options.on ?? url, options.with ?? keys, options.at ?? NOW, cache);

  it('accepts a token verified before for the same URL from the cache', async () => {
    const cache = new CountingCache();
    const token = await sign({ aud, exp: NOW + 3600 });
    run(token, cache);
    expect(cache.hits).toBe(0);
    run(token, cache);
    run(token, cache);
    expect(cache.hits).toBe(2);
  });

  it('never lets a cached token through for another hub or path: the other URL is checked in full and refused', async () => {
    const cache = new CountingCache();
    const token = await sign({ aud, exp: NOW + 3600 });
    run(token, cache);
    expect(() => run(token, cache, { on: otherHub })).toThrow(/audience/);
    expect(() => run(token, cache, { on: { ...url, host: 'localhost:8080' } })).toThrow(/audience/);
    expect(() => run(token, cache, { on: { ...url, scheme: 'https' } })).toThrow(/audience/);
    expect(cache.hits).toBe(0);
  });

  it('refuses a tampered copy of a cached token (signature or claims changed)', async () => {
    const cache = new CountingCache();
    const token = await sign({ aud, exp: NOW + 3600, sub: 'alice' });
    run(token, cache);
    const [h, p, s] = token.split('.') as [string, string, string];
    const otherSignature = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
    const otherClaims = `${h}.${Buffer.from(JSON.stringify({ aud, exp: NOW + 3600, sub: 'mallory' })).toString('base64url')}.${s}`;
    expect(() => run(otherSignature, cache)).toThrow(UnauthorizedError);
    expect(() => run(otherClaims, cache)).toThrow(/signature/);
    expect(cache.hits).toBe(0);
  });

  it('stops serving a token once it expires (exp plus the 5-minute skew)', async () => {
    const cache = new CountingCache();
    const token = await sign({ aud, exp: NOW + 60 });
    run(token, cache);
    run(token, cache, { at: NOW + 359 });
    expect(cache.hits).toBe(1);
    expect(() => run(token, cache, { at: NOW + 360 })).toThrow(/expired/);
    expect(cache.hits).toBe(1);
  });

  it('forgets every verification when the keys are regenerated (another key list)', async () => {
    const cache = new CountingCache();
    const token = await sign({ aud, exp: NOW + 3600 });
    run(token, cache);
    expect(() => run(token, cache, { with: [SECONDARY] })).toThrow(/signature is invalid/);
    // Even a new list with the same key is a new generation: checked in full again (and it passes).
    run(token, cache, { with: [KEY] });
    expect(cache.hits).toBe(0);
  });

  it('keeps a bounded number of tokens', async () => {
    const cache = new CountingCache({ maxEntries: 2 });
    for (let i = 0; i < 5; i++) run(await sign({ aud, exp: NOW + 3600, jti: String(i) }), cache);
    expect(cache.size).toBe(2);
  });

  it('caches no failure: a token refused once is refused again', async () => {
    const cache = new CountingCache();
    const token = await sign({ aud: `${base}/elsewhere`, exp: NOW + 3600 });
    expect(() => run(token, cache)).toThrow(/audience/);
    expect(() => run(token, cache)).toThrow(/audience/);
    expect(cache.size).toBe(0);
  });
});
