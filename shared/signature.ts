import { createHmac, timingSafeEqual } from 'node:crypto';

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
  const expected = accessKeys.map((key) => Buffer.from(hmacHex(key, connectionId), 'latin1'));
  let matched = false;
  for (const entry of header.split(',')) {
    const m = /^\s*sha256=([0-9a-fA-F]{64})\s*$/.exec(entry);
    if (!m) continue;
    const given = Buffer.from(m[1]!.toLowerCase(), 'latin1');
    // Check every key and entry without early exit so timing does not reveal which one matched.
    for (const e of expected) matched = timingSafeEqual(given, e) || matched;
  }
  return matched;
}

function hmacHex(key: string, message: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
}
