import { SignJWT } from 'jose';
import { MAX_MINUTES_TO_EXPIRE } from '../rest/generate-token';
import type { TemporaryAccessKeys } from './temporary-access-keys';

/**
 * `POST /api/hubs/{hub}/:generateToken` of SignalR Service (docs/protocol/signalr.md §6.2): the service signs a
 * client token itself. The emulator signs it with a temporary key of its own, named by `kid`, which lives at
 * least as long as the token: a client token never outlives the key that verifies it (Long Polling and
 * Server-Sent Events present it again on every request).
 */

export const DEFAULT_MINUTES_TO_EXPIRE = 60;

export class GenerateTokenError extends Error {
  override readonly name = 'GenerateTokenError';
}

/** `minutesToExpire` as the service binds it: a 32-bit integer, at least 1 (docs/protocol/rest-api.md §2 op 25). */
export function parseMinutesToExpire(raw: string | null): number {
  if (raw === null) return DEFAULT_MINUTES_TO_EXPIRE;
  const minutes = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(minutes >= 1 && minutes <= MAX_MINUTES_TO_EXPIRE)) {
    const shown = raw.length > 32 ? `${raw.slice(0, 29)}...` : raw;
    throw new GenerateTokenError(`minutesToExpire must be a whole number of minutes from 1 to ${MAX_MINUTES_TO_EXPIRE}; got '${shown}'.`);
  }
  return minutes;
}

export async function generateSignalRClientToken(
  keys: TemporaryAccessKeys,
  request: { endpoint: string; hub: string; userId?: string; minutesToExpire: number },
  nowMs = Date.now(),
): Promise<string> {
  const lifetimeMs = request.minutesToExpire * 60_000;
  const { KeyId, AccessKey } = keys.issue(lifetimeMs);
  const now = Math.floor(nowMs / 1000);
  return new SignJWT(request.userId ? { nameid: request.userId } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: KeyId })
    .setAudience(`${request.endpoint}/client/?hub=${encodeURIComponent(request.hub)}`)
    .setIssuedAt(now)
    .setExpirationTime(now + request.minutesToExpire * 60)
    .sign(new TextEncoder().encode(AccessKey));
}
