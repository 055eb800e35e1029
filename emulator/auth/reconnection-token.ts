import { randomBytes } from 'node:crypto';
import { signHs256, verifyHs256 } from './hs256';

/**
 * The reconnection token of a reliable connection (docs/protocol/auth.md §7): an HS256 JWT with `aud` = the connection id,
 * as the official emulator makes it, so it is unforgeable and only recovers the connection it was issued for.
 */
const ISSUER = 'https://webpubsub.azure.com';
const LIFETIME_SECONDS = 7 * 24 * 3600; // docs/protocol/auth.md §7: ~1 week (recovery itself is bounded by the window)

export function issueReconnectionToken(connectionId: string, key: string, now = Math.floor(Date.now() / 1000)): string {
  return signHs256({ iss: ISSUER, aud: connectionId, jti: randomBytes(9).toString('base64url'), iat: now, exp: now + LIFETIME_SECONDS }, key);
}

export function verifyReconnectionToken(token: string, connectionId: string, keys: readonly string[], now?: number): boolean {
  return verifyHs256(token, { keys, audience: (aud) => aud === connectionId, ...(now !== undefined ? { now } : {}) }).ok;
}
