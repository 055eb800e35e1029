import { UnauthorizedError } from '../core/service-errors';
import { verifyHs256, type VerifyFailure } from '../auth/hs256';
import type { VerifiedTokenCache } from '../auth/verified-token-cache';

/**
 * Authentication of data-plane calls (docs/protocol/auth.md §4): `Authorization: Bearer <HS256 JWT>` signed with any
 * access key, `exp` required, `nbf` honoured, 5 minutes of clock skew, and `aud` equal to the request URL.
 *
 * The docs say `aud` is the URL without the query; the JS and .NET SDKs sign the full URL including the
 * query exactly as sent; the official emulator also tries the URL-decoded form. All of these are accepted,
 * case-insensitively and ignoring a trailing slash on the path. A client token (aud `/client/hubs/…`)
 * therefore never matches a REST URL.
 */

export interface RestRequestUrl {
  /** `http` or `https`, from the listening socket. */
  readonly scheme: string;
  /** The Host header as sent. */
  readonly host: string;
  /** Path and query exactly as sent (`req.url`). */
  readonly target: string;
}

/**
 * Why a token was refused, in the words of ASP.NET's JWT bearer handler, which answers for the service:
 * a 401 with no body and `WWW-Authenticate: Bearer error="invalid_token", error_description="…"`
 * (the audience case is quoted in Azure/azure-signalr issue #883). The message is the same text; it
 * reaches the emulator's log, never the token.
 */
const DESCRIPTIONS: Record<VerifyFailure, string> = {
  malformed: 'The token is not a well-formed JWT',
  'unsupported-algorithm': 'The signature algorithm is not supported; use HS256',
  'bad-signature': 'The signature is invalid',
  expired: 'The token is expired',
  'not-yet-valid': 'The token is not valid yet',
  'missing-exp': 'The token has no expiration time',
  'wrong-audience': 'The audience is invalid',
};

/** Verified REST tokens: the value says nothing more than "valid for this token, URL and key list". */
export type RestTokenCache = VerifiedTokenCache<true>;

/** Clock skew tolerated for `exp` and `nbf` (docs/protocol/auth.md §3). */
const CLOCK_SKEW_SECONDS = 300;

/**
 * Throws UnauthorizedError (never echoing the token) unless the request carries a valid REST token.
 * With a cache, a token already verified for this exact request URL under this same key list (the
 * array object: a regenerated list is another one) is accepted without a second signature check
 * until it expires.
 */
export function authenticateRequest(
  authorization: string | undefined,
  url: RestRequestUrl,
  keys: readonly string[],
  now?: number,
  cache?: RestTokenCache,
): void {
  // No credentials at all: the bare challenge (RFC 6750 §3: no error code when the request had none).
  if (!authorization) {
    throw new UnauthorizedError('The Authorization header is missing; send Authorization: Bearer <JWT signed with an access key>.', undefined, {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) throw new UnauthorizedError('The Authorization header must be Bearer <JWT>.', undefined, { headers: { 'www-authenticate': 'Bearer' } });
  const token = m[1]!;
  const nowMs = now === undefined ? Date.now() : now * 1000;
  // The token has no whitespace and neither has a request line's target, so the space keeps the two apart.
  const cacheKey = cache && `${token} ${url.scheme}://${url.host}${url.target}`;
  if (cache && cache.get(cacheKey!, keys, nowMs) === true) return;
  const accepted = acceptedAudiences(url);
  const result = verifyHs256(token, {
    keys,
    audience: (aud) => (Array.isArray(aud) ? aud : [aud]).some((a) => typeof a === 'string' && accepted.has(normalizeAudience(a))),
    now: Math.floor(nowMs / 1000),
    clockSkewSeconds: CLOCK_SKEW_SECONDS,
  });
  if (!result.ok) throw invalidToken(DESCRIPTIONS[result.reason]);
  // verifyHs256 accepts until exp + skew, so that is when the entry goes.
  if (cache) cache.set(cacheKey!, keys, true, (result.payload.exp! + CLOCK_SKEW_SECONDS) * 1000, nowMs);
}

function invalidToken(description: string): UnauthorizedError {
  return new UnauthorizedError(`${description}.`, undefined, {
    headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
  });
}

/** The normalised audiences a request accepts: with and without query, as sent and URL-decoded. */
export function acceptedAudiences(url: RestRequestUrl): Set<string> {
  const base = `${url.scheme}://${url.host}`;
  const q = url.target.indexOf('?');
  const path = q < 0 ? url.target : url.target.slice(0, q);
  const forms = [base + path, base + url.target];
  for (const form of [...forms]) {
    const decoded = safeDecode(form);
    if (decoded !== undefined) forms.push(decoded);
  }
  return new Set(forms.map(normalizeAudience));
}

function normalizeAudience(aud: string): string {
  const lower = aud.toLowerCase();
  const q = lower.indexOf('?');
  const path = q < 0 ? lower : lower.slice(0, q);
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return q < 0 ? trimmed : trimmed + lower.slice(q);
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
