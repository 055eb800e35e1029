import { timingSafeEqual } from 'node:crypto';
import { hmacSha256 } from './hmac';

/**
 * The upstream request signature (docs/protocol/cloud-events.md §4):
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
  const expected = accessKeys.map((key) => hmacSha256(key, connectionId));
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

function hmacHex(key: string, message: string): string {
  return hmacSha256(key, message).toString('hex');
}
