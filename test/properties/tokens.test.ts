import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { clientAudiences, verifyClientToken } from '../../emulator/auth/client-token-verifier';
import { signHs256, verifyHs256, type JwtPayload } from '../../emulator/auth/hs256';
import { authenticateRequest } from '../../emulator/rest/rest-auth';
import { createKeyTokenIssuer } from '../../shared/auth/client-access-token-issuer';
import { BadRequestError, UnauthorizedError } from '../../emulator/core/service-errors';
import { UpstreamServiceError, WebPubSubError } from '../../shared/http/errors';
import { createJwtVerifier } from '../../shared/auth/jwt-verifier';
import { assertNoPrototypePollution, mutations, nastyString, nastyValue, objectMutation, PROTO_KEYS, textMutation } from '../support/hostile-input';

/**
 * Token issuers and verifiers under generated and mutated tokens: a verifier answers ok or a typed failure,
 * never throws anything else, and a token that verifies is byte-for-byte the one that was signed (up to
 * base64url's unused trailing bits).
 */

const KEY = 'hardening-primary-key-0123456789-0123456789';
const OTHER = 'hardening-attacker-key-0123456789-012345678';
const NOW = 1_800_000_000;
const AUD = 'http://localhost:8080/client/hubs/chat';

const claimsArb: fc.Arbitrary<JwtPayload> = fc.record(
  {
    sub: fc.oneof(nastyString, nastyValue),
    role: fc.oneof(fc.array(nastyString, { maxLength: 3 }), nastyValue),
    'webpubsub.group': fc.oneof(fc.array(nastyString, { maxLength: 3 }), nastyValue),
    exp: fc.oneof(fc.integer({ min: NOW - 10_000, max: NOW + 10_000 }), nastyValue),
    nbf: fc.oneof(fc.integer({ min: NOW - 10_000, max: NOW + 10_000 }), nastyValue),
    aud: fc.oneof(fc.constant(AUD), nastyString, fc.array(nastyString, { maxLength: 2 })),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<JwtPayload>;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o) ?? 'null').toString('base64url');

/** Tokens: well signed, signed by another key, alg none, re-headed, mutated text, garbage. */
const tokens = fc.oneof(
  fc.tuple(claimsArb, mutations(objectMutation(), 2)).map(([c, m]) => signHs256(m(c as Record<string, unknown>), KEY)),
  claimsArb.map((c) => signHs256(c, OTHER)),
  claimsArb.map((c) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(c)}.`),
  fc.tuple(claimsArb, fc.constantFrom('HS512', 'RS256', 'none', 'NONE', 'hs256', '', null)).map(([c, alg]) => {
    const t = signHs256(c, KEY).split('.');
    return `${b64({ alg, typ: 'JWT' })}.${t[1]}.${t[2]}`;
  }),
  fc.tuple(fc.constant({ exp: NOW + 60, aud: AUD, sub: 'u' }), textMutation()).map(([c, m]) => m(signHs256(c, KEY))),
  nastyString,
  fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.')),
);

function decodedParts(token: string): string[] {
  return token.split('.').map((p) => Buffer.from(p, 'base64url').toString('hex'));
}

describe('verifyHs256 (emulator/auth/hs256.ts)', () => {
  afterEach(assertNoPrototypePollution);

  it('answers ok or a failure reason for 5000 generated and mutated tokens; ok only for tokens signed with the key', () => {
    const signedByKey = new Set<string>();
    fc.assert(
      fc.property(tokens, (token) => {
        const result = verifyHs256(token, { keys: [KEY], audience: (aud) => aud === AUD, now: NOW });
        if (result.ok) {
          // The signature must be a genuine HMAC of the signing input under KEY.
          const [h, p] = token.split('.');
          const genuine = signHs256({}, KEY); // shape only
          expect(genuine.split('.')).toHaveLength(3);
          const resigned = `${h}.${p}`;
          const expected = createHmac('sha256', Buffer.from(KEY, 'utf8')).update(resigned).digest('hex');
          expect(decodedParts(token)[2]).toBe(expected);
          expect(result.payload.aud).toBe(AUD);
          expect(typeof result.payload.exp).toBe('number');
          signedByKey.add(token);
        } else {
          expect(['malformed', 'unsupported-algorithm', 'bad-signature', 'expired', 'not-yet-valid', 'missing-exp', 'wrong-audience']).toContain(result.reason);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('never accepts alg "none" or another key, whatever the claims', () => {
    fc.assert(
      fc.property(claimsArb, (c) => {
        const claims = { ...c, exp: NOW + 60, nbf: NOW, aud: AUD };
        expect(verifyHs256(`${b64({ alg: 'none' })}.${b64(claims)}.`, { keys: [KEY], audience: () => true, now: NOW }).ok).toBe(false);
        expect(verifyHs256(signHs256(claims, OTHER), { keys: [KEY], audience: () => true, now: NOW }).ok).toBe(false);
        expect(verifyHs256(signHs256(claims, KEY), { keys: [KEY], audience: () => true, now: NOW }).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Client token validation (emulator/auth/client-token.ts)', () => {
  afterEach(assertNoPrototypePollution);
  const audiences = clientAudiences({ hub: 'chat', requestHost: 'localhost:8080', endpoint: 'http://localhost:8080' });

  it('returns an identity or throws UnauthorizedError/BadRequestError for 5000 tokens; claims keep prototype keys as data', () => {
    const protoClaims = fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 })).map(([k, v]) => {
      const claims: Record<string, unknown> = { exp: NOW + 60, aud: AUD, sub: 'u' };
      Object.defineProperty(claims, k, { value: v, enumerable: true, writable: true, configurable: true });
      return signHs256(claims, KEY);
    });
    fc.assert(
      fc.property(fc.oneof(tokens, protoClaims), (token) => {
        let identity;
        try {
          identity = verifyClientToken(token, { keys: [KEY], audiences, now: NOW });
        } catch (e) {
          if (!(e instanceof UnauthorizedError || e instanceof BadRequestError)) throw e;
          if (token.length >= 16) expect(e.message).not.toContain(token.slice(0, 16));
          return;
        }
        expect(identity.userId === null || typeof identity.userId === 'string').toBe(true);
        for (const r of identity.roles) expect(typeof r).toBe('string');
        // Every claim of the token is an own, enumerable array of strings in `claims` (docs/protocol/cloud-events.md §6).
        const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
        for (const name of Object.keys(payload)) {
          expect(Object.hasOwn(identity.claims, name)).toBe(true);
          expect(Array.isArray(identity.claims[name])).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('REST authentication (emulator/rest/rest-auth.ts)', () => {
  it('accepts only tokens for this exact request URL signed with the key (3000 runs)', () => {
    const url = { scheme: 'http', host: 'localhost:8080', target: '/api/hubs/chat/:send?api-version=2024-12-01' };
    const restAud = 'http://localhost:8080/api/hubs/chat/:send';
    fc.assert(
      fc.property(
        fc.oneof(
          tokens,
          fc.tuple(fc.constantFrom(restAud, AUD), textMutation()).map(([aud, m]) => signHs256({ exp: NOW + 60, aud: m(aud) }, KEY)),
        ),
        fc.constantFrom('Bearer ', 'bearer  ', '', 'Basic '),
        (token, scheme) => {
          try {
            authenticateRequest(scheme + token, url, [KEY], NOW);
          } catch (e) {
            if (!(e instanceof UnauthorizedError)) throw e;
            return;
          }
          const aud = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).aud as unknown;
          expect(String(aud).toLowerCase().replace(/\/$/, '').startsWith(restAud.toLowerCase())).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('Token issuer and the negotiate JWT verifier (shared/auth/client-access-token-issuer.ts, shared/auth/jwt-verifier.ts)', () => {
  it('an issued client token always verifies in the emulator for its hub, and never for another hub (300 runs)', async () => {
    const issue = createKeyTokenIssuer({ endpoint: 'http://localhost:8080', accessKey: KEY, lifetimeMinutes: 60, now: () => NOW * 1000 });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('chat', 'Chat', 'h2'),
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.array(fc.constantFrom('webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup.g'), { maxLength: 2 }),
        async (hub, userId, roles) => {
          const { token } = await issue({ hub, userId, roles, groups: [] });
          const forHub = (h: string) => clientAudiences({ hub: h, requestHost: 'localhost:8080', endpoint: 'http://localhost:8080' });
          expect(verifyClientToken(token, { keys: [KEY], audiences: forHub(hub), now: NOW }).userId).toBe(userId);
          expect(() => verifyClientToken(token, { keys: [KEY], audiences: forHub(hub === 'h2' ? 'chat' : 'h2'), now: NOW })).toThrow(UnauthorizedError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the negotiate verifier answers a payload or a 401 for 1000 generated and mutated bearer tokens', async () => {
    const secret = 'negotiate-shared-secret-0123456789-0123456789';
    const verify = createJwtVerifier({ secret, issuers: ['https://issuer.example'], audience: 'api://chat' });
    const good = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://issuer.example')
      .setAudience('api://chat')
      .setExpirationTime('1h')
      .sign(Buffer.from(secret));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          tokens,
          fc.tuple(fc.constant(good), textMutation()).map(([t, m]) => m(t)),
        ),
        async (token) => {
          try {
            const payload = await verify(token);
            expect(payload.sub).toBe('alice');
            expect(token.split('.').slice(0, 2).join('.')).toBe(good.split('.').slice(0, 2).join('.'));
          } catch (e) {
            if (!(e instanceof WebPubSubError) || e instanceof UpstreamServiceError) throw e;
            expect(e.status).toBe(401);
            expect(e.message).not.toContain(token.length > 8 ? token : '\u0000');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
