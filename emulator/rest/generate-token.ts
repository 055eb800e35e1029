import { signHs256, type JwtPayload } from '../auth/hs256';

/**
 * The client JWT returned by `:generateToken` (docs/protocol/auth.md §3 and §5): HS256 with the primary key,
 * `aud` = `<scheme>://<host>/client/hubs/<hub>` of the request, optional `sub`, `role` and
 * `webpubsub.group` arrays (only when given, as the JS SDK does), `iat` and `exp`.
 */
export function generateClientToken(
  request: { endpoint: string; hub: string; userId?: string; roles: readonly string[]; groups: readonly string[]; minutesToExpire: number },
  primaryKey: string,
  now = Math.floor(Date.now() / 1000),
): string {
  const payload: JwtPayload = {};
  if (request.roles.length > 0) payload['role'] = [...request.roles];
  if (request.groups.length > 0) payload['webpubsub.group'] = [...request.groups];
  payload.iat = now;
  payload.exp = now + request.minutesToExpire * 60;
  payload.aud = `${request.endpoint}/client/hubs/${request.hub}`;
  if (request.userId !== undefined) payload.sub = request.userId;
  return signHs256(payload, primaryKey);
}
