import { decodeJwt, SignJWT } from 'jose';
import { createSecretKey } from 'node:crypto';
import { clientAudience, clientBaseUrl, type ClientProtocol } from '../config/connection-string';

/**
 * Client access tokens (docs/protocol/auth.md §2–§3). With an access key the token is signed here (HS256, no
 * `kid`, the key's UTF-8 bytes); keyless, the service mints it through `:generateToken` (docs/protocol/auth.md §5).
 */

export interface ClientTokenRequest {
  readonly hub: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly groups: readonly string[];
  /** `mqtt`: a token and URL for the MQTT endpoint. Default `default`. */
  readonly clientProtocol?: ClientProtocol;
}

/** The negotiate response body. */
export interface ClientAccess {
  /** `ws(s)://host/client/hubs/<hub>?access_token=<token>` */
  readonly url: string;
  readonly baseUrl: string;
  readonly token: string;
  /** ISO 8601 expiry of the token. */
  readonly expiresOn: string;
}

export type ClientTokenIssuer = (request: ClientTokenRequest) => Promise<ClientAccess>;

export interface KeyTokenIssuerOptions {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly lifetimeMinutes: number;
  readonly now?: () => number;
}

export function createKeyTokenIssuer(options: KeyTokenIssuerOptions): ClientTokenIssuer {
  // Created once, not per request.
  const key = createSecretKey(Buffer.from(options.accessKey, 'utf8'));
  const now = options.now ?? Date.now;
  return async ({ hub, userId, roles, groups, clientProtocol = 'default' }) => {
    const iat = Math.floor(now() / 1000);
    const exp = iat + options.lifetimeMinutes * 60;
    // docs/protocol/auth.md §3: role and webpubsub.group are arrays and only present when non-empty (as the JS SDK does).
    const claims: Record<string, unknown> = {};
    if (roles.length > 0) claims.role = [...roles];
    if (groups.length > 0) claims['webpubsub.group'] = [...groups];
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(clientAudience(options.endpoint, hub, clientProtocol))
      .setSubject(userId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key);
    return toClientAccess(options.endpoint, hub, token, exp, clientProtocol);
  };
}

/** Keyless: `generate` is `WebPubSubServiceClient.getClientAccessToken` of the hub (it calls `:generateToken`). */
export type GenerateToken = (
  hub: string,
  options: { userId: string; roles: string[]; groups: string[]; expirationTimeInMinutes: number; clientProtocol?: 'mqtt' },
) => Promise<{ token: string }>;

export function createServiceTokenIssuer(options: {
  endpoint: string;
  lifetimeMinutes: number;
  generate: GenerateToken;
  now?: () => number;
}): ClientTokenIssuer {
  const now = options.now ?? Date.now;
  return async ({ hub, userId, roles, groups, clientProtocol = 'default' }) => {
    const { token } = await options.generate(hub, {
      userId,
      roles: [...roles],
      groups: [...groups],
      expirationTimeInMinutes: options.lifetimeMinutes,
      // docs/protocol/auth.md §5: the service signs the MQTT audience for clientType=MQTT.
      ...(clientProtocol === 'mqtt' ? { clientProtocol: 'mqtt' as const } : {}),
    });
    let exp = Math.floor(now() / 1000) + options.lifetimeMinutes * 60;
    try {
      const claimed = decodeJwt(token).exp;
      if (typeof claimed === 'number') exp = claimed;
    } catch {
      // Not a JWT we can read: keep the computed expiry.
    }
    return toClientAccess(options.endpoint, hub, token, exp, clientProtocol);
  };
}

function toClientAccess(endpoint: string, hub: string, token: string, exp: number, protocol: ClientProtocol): ClientAccess {
  const baseUrl = clientBaseUrl(endpoint, hub, protocol);
  return { url: `${baseUrl}?access_token=${token}`, baseUrl, token, expiresOn: new Date(exp * 1000).toISOString() };
}
