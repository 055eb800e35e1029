import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { SignJWT } from 'jose';
import { createSecretKey } from 'node:crypto';

/**
 * REST tokens signed with the access key (docs/protocol/auth.md §4), one per request URL and reused until
 * shortly before it expires. `@azure/web-pubsub` signs a new JWT for every call with jsonwebtoken; the
 * token depends only on the URL and the clock, so a broadcast to one hub needs one signature an hour
 * instead of one per message.
 *
 * The audience is the whole request URL, query included, exactly as the SDK signs it and as the service's
 * REST reference asks ("the same as your HTTP request URL"). A cache keyed on anything shorter could hand
 * a token to a URL it was not signed for.
 */

/** The JS SDK's lifetime (`expiresIn: "1h"`). */
export const REST_TOKEN_LIFETIME_SECONDS = 3600;
/** A cached token is replaced this long before it expires, so none is sent about to lapse (clock skew, retries). */
export const REST_TOKEN_RENEW_BEFORE_SECONDS = 300;
/** Distinct URLs kept; past this the oldest entry makes room. Bounds memory when URLs carry per-call ids. */
export const REST_TOKEN_MAX_ENTRIES = 1024;

export const REST_TOKEN_POLICY_NAME = 'webPubSubCachedKeyTokenPolicy';

export interface RestTokenCacheOptions {
  readonly accessKey: string;
  readonly lifetimeSeconds?: number;
  readonly renewBeforeSeconds?: number;
  readonly maxEntries?: number;
  /** Milliseconds since the epoch; tests move it. */
  readonly now?: () => number;
}

export interface RestTokenCache {
  /** The bearer token for a request to `url` (the whole URL as sent). */
  tokenFor(url: string): Promise<string>;
  /** How many URLs hold a token (for tests and diagnostics). */
  readonly size: number;
}

interface Entry {
  readonly token: Promise<string>;
  /** Seconds since the epoch after which the entry is signed again. */
  readonly renewAt: number;
}

export function createRestTokenCache(options: RestTokenCacheOptions): RestTokenCache {
  const key = createSecretKey(Buffer.from(options.accessKey, 'utf8'));
  const lifetime = options.lifetimeSeconds ?? REST_TOKEN_LIFETIME_SECONDS;
  const renewBefore = options.renewBeforeSeconds ?? REST_TOKEN_RENEW_BEFORE_SECONDS;
  if (!(lifetime > renewBefore && renewBefore >= 0)) throw new RangeError('the REST token lifetime must be longer than its renewal margin');
  const maxEntries = options.maxEntries ?? REST_TOKEN_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const sign = (audience: string, iat: number): Promise<string> =>
    // The SDK's claims and header: aud, iat, exp; {"alg":"HS256","typ":"JWT"}; no kid, no nbf.
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetime)
      .sign(key);

  return {
    tokenFor(url) {
      const t = Math.floor(now() / 1000);
      const hit = entries.get(url);
      if (hit && t < hit.renewAt) return hit.token;
      if (hit) entries.delete(url);
      else if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      // The promise is stored, so concurrent calls to one URL share one signature.
      const token = sign(url, t);
      entries.set(url, { token, renewAt: t + lifetime - renewBefore });
      token.catch(() => {
        if (entries.get(url)?.token === token) entries.delete(url);
      });
      return token;
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * The pipeline policy that takes the place of the SDK's `webPubSubKeyCredentialPolicy`: same header, same
 * claims, the token from the cache. It sits where the SDK's did (after the api-version rewrite, before the
 * retry policy), so it sees the final URL and a retried call resends the same token.
 */
export function restTokenPolicy(cache: RestTokenCache): PipelinePolicy {
  return {
    name: REST_TOKEN_POLICY_NAME,
    async sendRequest(request, next) {
      request.headers.set('Authorization', `Bearer ${await cache.tokenFor(request.url)}`);
      return next(request);
    },
  };
}
