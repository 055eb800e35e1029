import fc from 'fast-check';
import { SignJWT } from 'jose';
import { UnauthorizedError, UpstreamServiceError } from '../../../../shared/http/errors';
import { createJwtVerifier, readBearerToken } from '../../../../shared/auth/jwt-verifier';
import { jwksServer, unsecuredToken } from '../../../support/functions-harness';

const ISSUER = 'https://idp.example.com/';
const AUDIENCE = 'api://chat';

describe('createJwtVerifier with a JWKS over loopback', () => {
  let idp: Awaited<ReturnType<typeof jwksServer>>;
  beforeAll(async () => {
    idp = await jwksServer();
  });
  afterAll(() => idp.close());

  const verifier = () => createJwtVerifier({ jwksUrl: idp.url, issuers: [ISSUER], audience: AUDIENCE });

  it('accepts a token with the right key, issuer and audience', async () => {
    const token = await idp.sign({ sub: 'alice', iss: ISSUER, aud: AUDIENCE });
    await expect(verifier()(token)).resolves.toMatchObject({ sub: 'alice' });
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['expired', () => idp.sign({ sub: 'a', iss: ISSUER, aud: AUDIENCE }, { expiresIn: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ['wrong audience', () => idp.sign({ sub: 'a', iss: ISSUER, aud: 'api://other' }), /audience/],
    ['wrong issuer', () => idp.sign({ sub: 'a', iss: 'https://evil.example.com/', aud: AUDIENCE }), /issuer/],
    ['bad signature (a foreign key with our kid)', () => idp.sign({ sub: 'a', iss: ISSUER, aud: AUDIENCE }, { foreignKey: true }), /signature/],
    ['alg none', async () => unsecuredToken({ sub: 'a', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 }), /algorithm|malformed/],
    [
      'HS256 (algorithm confusion)',
      () =>
        new SignJWT({ sub: 'a', iss: ISSUER, aud: AUDIENCE })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('x'.repeat(32))),
      /algorithm/,
    ],
    ['unknown kid', () => idp.sign({ sub: 'a', iss: ISSUER, aud: AUDIENCE }, { kid: 'nope' }), /no signing key/],
    ['garbage', async () => 'not.a.jwt', /malformed/],
  ])('rejects %s with 401 invalid_token and no token in the message', async (_name, make, message) => {
    const token = await make();
    const error = await verifier()(token).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    const e = error as UnauthorizedError;
    expect(e.status).toBe(401);
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain(token);
    expect(e.headers?.['WWW-Authenticate']).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
  });

  it('requires exp', async () => {
    const token = await new SignJWT({ sub: 'a', iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('s'.repeat(32)));
    const v = createJwtVerifier({ secret: 's'.repeat(32), issuers: [ISSUER], audience: AUDIENCE });
    await expect(v(token)).rejects.toThrow(/exp/);
  });

  it('a JWKS that cannot be fetched is a 502, not a 401', async () => {
    const v = createJwtVerifier({ jwksUrl: 'http://127.0.0.1:1/keys', issuers: [ISSUER], audience: AUDIENCE });
    const token = await idp.sign({ sub: 'a', iss: ISSUER, aud: AUDIENCE });
    await expect(v(token)).rejects.toBeInstanceOf(UpstreamServiceError);
  });
});

describe('createJwtVerifier with a shared secret', () => {
  const secret = 'a-shared-secret-of-at-least-32-bytes!!';
  const v = createJwtVerifier({ secret, issuers: [ISSUER], audience: AUDIENCE });
  it('accepts HS256 with the secret and rejects another secret', async () => {
    const ok = await new SignJWT({ sub: 'a' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    const bad = await new SignJWT({ sub: 'a' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(`${secret}?`));
    await expect(v(ok)).resolves.toMatchObject({ sub: 'a' });
    await expect(v(bad)).rejects.toThrow(/signature/);
  });
  it('rejects HS512 (not on the allow-list)', async () => {
    const t = await new SignJWT({ sub: 'a' })
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    await expect(v(t)).rejects.toThrow(/algorithm/);
  });
});

describe('readBearerToken', () => {
  const h = (v?: string) => new Headers(v === undefined ? {} : { authorization: v });
  it('reads the token, scheme case-insensitive', () => {
    expect(readBearerToken(h('Bearer abc.def.ghi'))).toBe('abc.def.ghi');
    expect(readBearerToken(h('bearer abc'))).toBe('abc');
  });
  it.each([undefined, '', 'Basic dXNlcjpwdw==', 'Bearer', 'Bearer a b'])('rejects %p with a bare Bearer challenge', (value) => {
    try {
      readBearerToken(h(value));
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(UnauthorizedError);
      expect((e as UnauthorizedError).headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    }
  });
});

describe('property: the verifier only ever accepts the genuine token', () => {
  const secret = 'property-secret-of-at-least-32-bytes!!';
  const v = createJwtVerifier({ secret, issuers: [ISSUER], audience: AUDIENCE });
  let genuine: string;
  beforeAll(async () => {
    genuine = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret));
  });
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=';

  it('single-character mutations: rejected with a 401, or (unused base64 bits) the same claims', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...ALPHABET.split('')), async (pos, ch) => {
        const i = pos % genuine.length;
        const mutated = genuine.slice(0, i) + ch + genuine.slice(i + 1);
        try {
          const payload = await v(mutated);
          expect(payload).toEqual(await v(genuine));
        } catch (e) {
          expect(e).toBeInstanceOf(UnauthorizedError);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('arbitrary strings: always a 401', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.array(fc.base64String(), { minLength: 3, maxLength: 3 }).map((p) => p.join('.')),
        ),
        async (token) => {
          await expect(v(token)).rejects.toBeInstanceOf(UnauthorizedError);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
