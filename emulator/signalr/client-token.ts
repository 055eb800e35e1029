import { jwtVerify, errors } from 'jose';

/**
 * The client access token (docs/protocol/signalr.md §1.2): HS256 with any access key, `aud` the
 * client URL `<endpoint>/client/?hub=<hub>`, `exp` required, the user id in `nameid` (or the long
 * name-identifier claim type). Host and scheme of `aud` are not compared: the emulator is reached
 * as localhost, 127.0.0.1 or a container name, and the hub in the audience is what scopes a token.
 */

export const NAME_IDENTIFIER_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';

export interface ClientIdentity {
  readonly hub: string;
  readonly userId?: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

export class ClientTokenError extends Error {
  override readonly name = 'ClientTokenError';
}

/** True when `aud` names the client endpoint of `hub` (hub names compare case-insensitively). */
export function audienceMatchesHub(aud: unknown, hub: string): boolean {
  const list = Array.isArray(aud) ? aud : [aud];
  return list.some((a) => {
    if (typeof a !== 'string') return false;
    let url: URL;
    try {
      url = new URL(a);
    } catch {
      return false;
    }
    const path = url.pathname.replace(/\/+$/, '');
    return path === '/client' && (url.searchParams.get('hub') ?? '').toLowerCase() === hub.toLowerCase();
  });
}

export async function verifyClientToken(token: string, hub: string, keys: readonly string[], now = Date.now()): Promise<ClientIdentity> {
  let payload: Record<string, unknown> | undefined;
  let expired = false;
  for (const key of keys) {
    try {
      ({ payload } = await jwtVerify(token, new TextEncoder().encode(key), { algorithms: ['HS256'], currentDate: new Date(now), requiredClaims: ['exp'] }));
      break;
    } catch (e) {
      if (e instanceof errors.JWTExpired) expired = true;
    }
  }
  if (!payload) throw new ClientTokenError(expired ? 'The access token has expired.' : 'The access token is not valid (signature, algorithm or claims).');
  if (!audienceMatchesHub(payload['aud'], hub)) throw new ClientTokenError(`The access token's audience is not the client endpoint of hub '${hub}'.`);
  const nameId = payload['nameid'] ?? payload[NAME_IDENTIFIER_CLAIM];
  return { hub, ...(typeof nameId === 'string' && nameId !== '' ? { userId: nameId } : {}), claims: payload };
}
