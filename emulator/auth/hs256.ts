import { timingSafeEqual } from 'node:crypto';
import { isCanonicalBase64url } from './base64url';
import { accessKeyHmac } from './hmac-keys';

/**
 * Synchronous HS256 JWT signing and verification with node:crypto.
 *
 * Why not jose here: jose 6 only verifies through async WebCrypto (~70 µs per awaited call on this
 * machine versus ~4 µs here), and every client handshake and REST call verifies a token. The functions app, which signs far fewer tokens, uses jose.
 *
 * Keys are the access key strings, used as their UTF-8 bytes (docs/protocol/auth.md §1.1).
 */

export type JwtPayload = Record<string, unknown> & { exp?: number; nbf?: number; iat?: number; aud?: unknown; sub?: unknown };

export type VerifyFailure = 'malformed' | 'unsupported-algorithm' | 'bad-signature' | 'expired' | 'not-yet-valid' | 'missing-exp' | 'wrong-audience';

export type VerifyResult = { ok: true; payload: JwtPayload } | { ok: false; reason: VerifyFailure };

export interface VerifyOptions {
  /** Accepted when any key verifies the signature (primary or secondary). */
  readonly keys: readonly string[];
  /** Returns true when the token's `aud` is acceptable. */
  readonly audience: (aud: unknown) => boolean;
  /** Seconds since the epoch; injectable for tests. */
  readonly now?: number;
  /** Clock skew tolerated for `exp` and `nbf` (docs/protocol/auth.md §3: 5 minutes). */
  readonly clockSkewSeconds?: number;
}

const HEADER = base64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));

export function signHs256(payload: JwtPayload, key: string): string {
  const body = `${HEADER}.${base64url(Buffer.from(JSON.stringify(payload)))}`;
  return `${body}.${base64url(accessKeyHmac(key, body))}`;
}

/** The last header segment that decoded to an object with `alg: "HS256"` (the check is pure). */
let lastHs256Header: string | undefined;

export function verifyHs256(token: string, options: VerifyOptions): VerifyResult {
  const parts = token.split('.');
  // Canonical encodings only: otherwise the unused bits of a segment's last character give one token
  // several accepted spellings.
  if (parts.length !== 3 || !parts.every(isCanonicalBase64url)) return { ok: false, reason: 'malformed' };
  const [h, p, s] = parts as [string, string, string];
  // Nearly every token carries the same header segment; the last one found to be a valid HS256 header
  // is remembered so a connect storm does not decode and parse it once per client.
  if (h !== lastHs256Header) {
    const header = parseJson(h);
    if (!header || typeof header !== 'object') return { ok: false, reason: 'malformed' };
    // Only HS256: this rejects `alg: none` and algorithm-confusion tokens before any crypto.
    if ((header as { alg?: unknown }).alg !== 'HS256') return { ok: false, reason: 'unsupported-algorithm' };
    lastHs256Header = h;
  }

  const given = Buffer.from(s, 'base64url');
  const signingInput = `${h}.${p}`;
  let valid = false;
  for (const key of options.keys) {
    const expected = accessKeyHmac(key, signingInput);
    valid = (given.length === expected.length && timingSafeEqual(given, expected)) || valid;
  }
  if (!valid) return { ok: false, reason: 'bad-signature' };

  const payload = parseJson(p);
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { ok: false, reason: 'malformed' };
  const claims = payload as JwtPayload;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const skew = options.clockSkewSeconds ?? 300;
  if (typeof claims.exp !== 'number') return { ok: false, reason: 'missing-exp' };
  if (claims.exp + skew <= now) return { ok: false, reason: 'expired' };
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf - skew > now)) return { ok: false, reason: 'not-yet-valid' };
  if (!options.audience(claims.aud)) return { ok: false, reason: 'wrong-audience' };
  return { ok: true, payload: claims };
}

/** A claim that may be a string or an array of strings (.NET issuers emit a string for one value, docs/protocol/auth.md §3). */
export function claimAsArray(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function base64url(b: Buffer): string {
  return b.toString('base64url');
}

function parseJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
