import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * The upstream request signature (cloud-events.md §4):
 * `sha256=<hex HMAC-SHA256(key = UTF-8 access key, message = UTF-8 connection id)>`, one entry per key,
 * comma-separated (primary first), so receivers keep working while a key is rotated.
 */
export function signConnectionId(connectionId: string, accessKeys: readonly string[]): string {
  return accessKeys.map((key) => `sha256=${hmacHex(key, connectionId)}`).join(',');
}

/**
 * True when any `sha256=` entry of the header matches the HMAC of the connection id under any key.
 * Hex is compared case-insensitively (the Functions extension emits upper case) and in constant time.
 */
export function verifySignature(connectionId: string, header: string | null | undefined, accessKeys: readonly string[]): boolean {
  if (!header || accessKeys.length === 0) return false;
  const expected = accessKeys.map((key) => hmac(key, connectionId));
  let matched = false;
  for (const entry of header.split(',')) {
    const m = /^\s*sha256=([0-9a-fA-F]{64})\s*$/.exec(entry);
    if (!m) continue;
    // 64 hex digits (checked above) decode to the 32 digest bytes, upper or lower case alike.
    const given = Buffer.from(m[1]!, 'hex');
    // Check every key and entry without early exit so timing does not reveal which one matched.
    for (const e of expected) matched = timingSafeEqual(given, e) || matched;
  }
  return matched;
}

/**
 * Every upstream request is signed or verified with one of a handful of access keys: each is turned into
 * a KeyObject once rather than copied into a new Buffer per request. Bounded: a caller passing ever-new
 * keys only starts the cache over.
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

function hmac(key: string, message: string): Buffer {
  return createHmac('sha256', keyObject(key)).update(message, 'utf8').digest();
}

function hmacHex(key: string, message: string): string {
  return hmac(key, message).toString('hex');
}
