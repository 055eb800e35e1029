import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { UnauthorizedError, UpstreamServiceError } from '../http/errors';
import type { HeaderReader } from '../http/http-headers';
import { isCanonicalCompactJws } from './jwt-encoding';

/**
 * Bearer-token verification with jose, shared by negotiate's `jwt` mode and the event handler's
 * Microsoft Entra check. Algorithms are an allow-list (asymmetric for a JWKS, HS256 for a secret),
 * so `alg: none` and algorithm confusion never verify. Failures are UnauthorizedError with an
 * RFC 6750 `WWW-Authenticate` header whose description is one of a few fixed strings: the token is
 * never echoed.
 */

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

export interface JwtVerifierOptions {
  /** A JWKS URL (keys fetched and cached by jose) … */
  readonly jwksUrl?: string;
  /** … or an HS256 shared secret (UTF-8 bytes). Exactly one. */
  readonly secret?: string;
  readonly issuers: readonly string[];
  readonly audience: string;
  /** Defaults: ASYMMETRIC_ALGORITHMS for a JWKS, HS256 for a secret. */
  readonly algorithms?: readonly string[];
  /** Seconds of clock skew tolerated for exp/nbf (default 300, as docs/protocol/auth.md §3 recommends). */
  readonly clockToleranceSeconds?: number;
}

export type JwtVerifier = (token: string) => Promise<JWTPayload>;

export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  // Created once: createRemoteJWKSet caches keys and rate-limits refetches across requests.
  let key: KeyObject | JWTVerifyGetKey;
  if (options.jwksUrl) key = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  else if (options.secret) key = createSecretKey(Buffer.from(options.secret, 'utf8'));
  else throw new TypeError('createJwtVerifier needs jwksUrl or secret');
  const algorithms = [...(options.algorithms ?? (options.jwksUrl ? ASYMMETRIC_ALGORITHMS : ['HS256']))];
  const verifyOptions = {
    algorithms,
    issuer: [...options.issuers],
    audience: options.audience,
    clockTolerance: options.clockToleranceSeconds ?? 300,
    requiredClaims: ['exp'],
  };
  return async (token) => {
    if (!isCanonicalCompactJws(token)) throw invalidToken('the token is malformed');
    try {
      const { payload } = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions);
      return payload;
    } catch (e) {
      throw toVerificationError(e);
    }
  };
}

/** The token of an `Authorization: Bearer <token>` header; UnauthorizedError (challenge `Bearer`) if absent. */
export function readBearerToken(headers: HeaderReader): string {
  const value = headers.get('authorization');
  const m = value ? /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(value) : null;
  if (!m) {
    throw new UnauthorizedError(value ? 'the Authorization header is not a Bearer token' : 'a Bearer token is required', 'MissingToken', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  return m[1]!;
}

/** 401 with `WWW-Authenticate: Bearer error="invalid_token", error_description="<fixed text>"`. */
export function invalidToken(description: string, cause?: unknown): UnauthorizedError {
  return new UnauthorizedError(`invalid token: ${description}`, 'InvalidToken', {
    cause,
    headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description.replace(/["\\]/g, '')}"` },
  });
}

function toVerificationError(e: unknown): Error {
  if (e instanceof joseErrors.JWTExpired) return invalidToken('the token has expired', e);
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    const claim = e.claim;
    if (claim === 'aud') return invalidToken('the token audience is not accepted', e);
    if (claim === 'iss') return invalidToken('the token issuer is not accepted', e);
    if (claim === 'nbf') return invalidToken('the token is not valid yet', e);
    return invalidToken(`the token claim ${/^[a-z]{1,20}$/i.test(claim) ? claim : ''} is invalid`, e);
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return invalidToken('the token algorithm is not allowed', e);
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return invalidToken('the token signature is invalid', e);
  if (e instanceof joseErrors.JWKSNoMatchingKey || e instanceof joseErrors.JWKSMultipleMatchingKeys) return invalidToken('no signing key matches the token', e);
  // ERR_JOSE_GENERIC: the JWKS endpoint answered something other than 200 OK.
  if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid || (e instanceof joseErrors.JOSEError && e.code === 'ERR_JOSE_GENERIC')) {
    return new UpstreamServiceError('the token signing keys could not be fetched', undefined, { cause: e });
  }
  if (e instanceof joseErrors.JOSEError) return invalidToken('the token is malformed', e);
  // A network failure fetching the JWKS surfaces as fetch's TypeError (possibly from another realm).
  if ((e as { name?: unknown } | null)?.name === 'TypeError')
    return new UpstreamServiceError('the token signing keys could not be fetched', undefined, { cause: e });
  return invalidToken('the token could not be verified', e);
}
