import { signHs256, type JwtPayload } from '../auth/hs256';

/**
 * The largest `minutesToExpire` the service takes (docs/protocol/rest-api.md §2 op 25): the parameter is a 32-bit
 * integer, at least 1. Larger values are refused with 400, as the service's parameter binding does.
 */
export const MAX_MINUTES_TO_EXPIRE = 2_147_483_647;

/**
 * The client JWT returned by `:generateToken` (docs/protocol/auth.md §3 and §5): HS256 with the primary key,
 * `aud` = `<scheme>://<host>/client/hubs/<hub>` of the request (`/clients/mqtt/hubs/<hub>` for MQTT clients), optional `sub`, `role` and
 * `webpubsub.group` arrays (only when given, as the JS SDK does), `iat` and `exp`.
 */
export function generateClientToken(
  request: { endpoint: string; hub: string; mqtt?: boolean; userId?: string; roles: readonly string[]; groups: readonly string[]; minutesToExpire: number },
  primaryKey: string,
  now = Math.floor(Date.now() / 1000),
): string {
  const payload: JwtPayload = {};
  if (request.roles.length > 0) payload['role'] = [...request.roles];
  if (request.groups.length > 0) payload['webpubsub.group'] = [...request.groups];
  payload.iat = now;
  payload.exp = now + request.minutesToExpire * 60;
  payload.aud = request.mqtt ? `${request.endpoint}/clients/mqtt/hubs/${request.hub}` : `${request.endpoint}/client/hubs/${request.hub}`;
  if (request.userId !== undefined) payload.sub = request.userId;
  return signHs256(payload, primaryKey);
}
