import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * HMAC-SHA256 keyed by an access key string (its UTF-8 bytes), for the upstream signature and HS256
 * tokens. Every handshake, upstream request and REST call uses one of a handful of keys: each becomes a
 * KeyObject once instead of a new Buffer per call. Bounded: callers passing ever-new keys only start
 * the cache over.
 */
const keyObjects = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 16;

function keyObject(key: string): KeyObject {
  let k = keyObjects.get(key);
  if (!k) {
    if (keyObjects.size >= MAX_CACHED_KEYS) keyObjects.clear();
    k = createSecretKey(Buffer.from(key, 'utf8'));
    keyObjects.set(key, k);
  }
  return k;
}

export function hmacSha256(key: string, message: string): Buffer {
  return createHmac('sha256', keyObject(key)).update(message, 'utf8').digest();
}
