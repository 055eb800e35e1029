import { SignJWT } from 'jose';
import { ForbiddenError, UnauthorizedError } from '../../../../emulator/core/service-errors';
import type { LocalAuthority } from '../../../../emulator/entra/authority';
import { VerifiedTokenCache } from '../../../../emulator/auth/verified-token-cache';
import { authorizeOperation, createEntraTokenVerifier, type EntraPrincipal } from '../../../../emulator/entra/data-plane-auth';
import { authority, APP, APP_REG, BASE, foreignKey, OTHER, TENANT } from '../../../support/entra-authority';

let a: LocalAuthority;
let verify: ReturnType<typeof createEntraTokenVerifier>;
beforeAll(async () => {
  a = await authority({ clockSkewSeconds: 0 });
  verify = createEntraTokenVerifier(a);
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({
  aud: 'https://webpubsub.azure.com',
  iss: `${BASE}/${TENANT}/`,
  iat: now(),
  nbf: now(),
  exp: now() + 60,
  appid: APP.clientId,
  oid: APP.principalId,
  tid: TENANT,
  ver: '1.0',
  ...over,
});
/** Correct claims under the authority's kid, signed with a key of the caller's. */
const signForeign = (c: Record<string, unknown>) => new SignJWT(c).setProtectedHeader({ alg: 'RS256', kid: a.kid }).sign(foreignKey());

/** Issued by the authority itself: the only way to get its signature. */
const real = async (resource = 'https://webpubsub.azure.com') => (await a.issue(APP, resource)).accessToken;

test('a token the authority issued verifies; the principal is its oid and appid', async () => {
  await expect(verify(await real())).resolves.toEqual({ oid: APP.principalId, clientId: APP.clientId });
});

test('another audience, a foreign key, a malformed token → UnauthorizedError with a fixed message', async () => {
  await expect(verify(await real(APP_REG))).rejects.toThrow(/audience/);
  await expect(verify(await signForeign(claims()))).rejects.toThrow(/signature/);
  await expect(verify('not.a.jwt')).rejects.toThrow(UnauthorizedError);
});

test('expired (no skew tolerated here) and issued by another issuer → 401', async () => {
  const expiring = await authority({ tokenLifetimeSeconds: 1, clockSkewSeconds: 0 }, () => now() - 10);
  const v = createEntraTokenVerifier(expiring);
  await expect(v((await expiring.issue(APP, 'https://webpubsub.azure.com')).accessToken)).rejects.toThrow(/expired/);
  const elsewhere = await authority({}, undefined);
  // Same tenant, same claims, but a different authority (key): not this authority's token.
  await expect(verify((await elsewhere.issue(APP, 'https://webpubsub.azure.com')).accessToken)).rejects.toThrow(/signature/);
});

test('authorizeOperation: Owner may do everything, Reader only read operations, no role nothing (403)', () => {
  const assignments = a.settings.roleAssignments;
  expect(() => authorizeOperation({ oid: APP.principalId, clientId: APP.clientId }, 'sendToAll', assignments)).not.toThrow();
  expect(() => authorizeOperation({ oid: APP.principalId, clientId: APP.clientId }, 'generateToken', assignments)).not.toThrow();
  expect(() => authorizeOperation({ oid: OTHER.principalId, clientId: OTHER.clientId }, 'groupExists', assignments)).not.toThrow();
  expect(() => authorizeOperation({ oid: OTHER.principalId, clientId: OTHER.clientId }, 'sendToAll', assignments)).toThrow(ForbiddenError);
  expect(() => authorizeOperation({ oid: 'ffffffff-ffff-4fff-8fff-ffffffffffff', clientId: 'x' }, 'connectionExists', assignments)).toThrow(
    /no Web PubSub data-plane role/,
  );
});

describe('the verified-token cache of the Entra verifier', () => {
  /** Counts the lookups the cache answered, so a test can tell a cached acceptance from a full check. */
  class CountingCache extends VerifiedTokenCache<EntraPrincipal> {
    hits = 0;
    override get(key: string, generation: object, nowMs: number): EntraPrincipal | undefined {
      const value = super.get(key, generation, nowMs);
      if (value !== undefined) this.hits++;
      return value;
    }
  }

  afterEach(() => jest.useRealTimers());

  test('a verified token is served from the cache; a tampered copy is verified in full and refused', async () => {
    const cache = new CountingCache();
    const v = createEntraTokenVerifier(a, undefined, cache);
    const token = await real();
    await expect(v(token)).resolves.toEqual({ oid: APP.principalId, clientId: APP.clientId });
    await expect(v(token)).resolves.toEqual({ oid: APP.principalId, clientId: APP.clientId });
    expect(cache.hits).toBe(1);
    const [h, p, s] = token.split('.') as [string, string, string];
    const claimsOfOther = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), oid: OTHER.principalId })).toString('base64url');
    await expect(v(`${h}.${claimsOfOther}.${s}`)).rejects.toThrow(/signature/);
    expect(cache.hits).toBe(1);
  });

  test('an entry drops when the token expires', async () => {
    const cache = new CountingCache();
    const v = createEntraTokenVerifier(a, undefined, cache);
    const token = await real();
    await v(token);
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    // Only Date is faked: jose reads the clock through it; WebCrypto and the promises run as usual.
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    jest.setSystemTime(exp * 1000 + 1000);
    await expect(v(token)).rejects.toThrow(/expired/);
    expect(cache.hits).toBe(0);
  });
});
