import type { EventHandlerTokenSettings } from '../config/app-config';
import { UnauthorizedError } from '../http/errors';
import type { HeaderReader } from '../http/http-headers';
import { createJwtVerifier, invalidToken, readBearerToken, type JwtVerifier } from './jwt-verifier';
import { verifySignature } from './upstream-signature';

/**
 * Proves an upstream request comes from our Web PubSub resource (docs/protocol/cloud-events.md §4, §9). Every
 * configured mechanism must pass:
 * - access keys configured → `ce-signature` must match the connection id under the primary or
 *   secondary key (constant time);
 * - EventHandlerToken* configured (always in keyless mode) → a Microsoft Entra bearer token for our
 *   audience, from our tenant, whose `oid` is the resource's managed identity.
 * Config guarantees at least one, so an event is never accepted unauthenticated.
 */
export type UpstreamAuthenticator = (headers: HeaderReader, connectionId: string) => Promise<void>;

export function createUpstreamAuthenticator(options: {
  accessKeys: readonly string[];
  token?: EventHandlerTokenSettings;
  /** Tests inject a verifier; production builds one from `token`. */
  verifier?: JwtVerifier;
}): UpstreamAuthenticator {
  const { accessKeys, token } = options;
  if (accessKeys.length === 0 && !token) throw new TypeError('upstream authentication needs access keys or Entra token settings');
  const verify =
    options.verifier ??
    (token ? createJwtVerifier({ jwksUrl: token.jwksUrl, issuers: token.issuers, audience: token.audience, algorithms: ['RS256'] }) : undefined);
  return async (headers, connectionId) => {
    if (accessKeys.length > 0 && !verifySignature(connectionId, headers.get('ce-signature'), accessKeys)) {
      throw new UnauthorizedError(headers.get('ce-signature') ? 'ce-signature matches no access key' : 'missing header ce-signature', 'InvalidSignature');
    }
    if (token && verify) {
      const payload = await verify(readBearerToken(headers));
      if (typeof payload.oid !== 'string' || payload.oid.toLowerCase() !== token.callerObjectId) {
        throw invalidToken('the token was not issued to this Web PubSub resource');
      }
      if (typeof payload.tid === 'string' && payload.tid.toLowerCase() !== token.tenantId.toLowerCase() && /^[0-9a-f-]{36}$/i.test(token.tenantId)) {
        throw invalidToken('the token comes from another tenant');
      }
    }
  };
}
