import type { UpstreamTokenSettings } from './upstream-token-settings';
import { UnauthorizedError } from '../http/errors';
import type { HeaderReader } from '../http/http-headers';
import { createJwtVerifier, invalidToken, readBearerToken, type JwtVerifier } from './jwt-verifier';
import { verifySignature } from './upstream-signature';

/**
 * Proves an upstream request comes from our Web PubSub resource (docs/protocol/cloud-events.md §4, §9), or
 * from our SignalR Service resource (docs/protocol/signalr.md §5.4, §6.4: `X-ASRS-Signature`, the same
 * HMAC). Every configured mechanism must pass:
 * - access keys configured → `ce-signature` must match the connection id under the primary or
 *   secondary key (constant time);
 * - token settings configured (EventHandlerToken* for Web PubSub, SignalRUpstreamToken* for SignalR; always
 *   when that service is keyless) → a Microsoft Entra bearer token for our audience, from our tenant, whose
 *   `oid` is the resource's managed identity.
 * Config guarantees at least one, so an event is never accepted unauthenticated.
 */
export type UpstreamAuthenticator = (headers: HeaderReader, connectionId: string) => Promise<void>;

export function createUpstreamAuthenticator(options: {
  accessKeys: readonly string[];
  token?: UpstreamTokenSettings;
  /** Tests inject a verifier; production builds one from `token`. */
  verifier?: JwtVerifier;
  /** The signature header: `ce-signature` (Web PubSub, the default) or `x-asrs-signature` (SignalR Service). */
  signatureHeader?: string;
  /** The resource named in refusals. */
  serviceName?: string;
}): UpstreamAuthenticator {
  const { accessKeys, token } = options;
  const signatureHeader = options.signatureHeader ?? 'ce-signature';
  const serviceName = options.serviceName ?? 'Web PubSub';
  if (accessKeys.length === 0 && !token) throw new TypeError('upstream authentication needs access keys or Entra token settings');
  const verify =
    options.verifier ??
    (token ? createJwtVerifier({ jwksUrl: token.jwksUrl, issuers: token.issuers, audience: token.audience, algorithms: ['RS256'] }) : undefined);
  return async (headers, connectionId) => {
    if (accessKeys.length > 0 && !verifySignature(connectionId, headers.get(signatureHeader), accessKeys)) {
      throw new UnauthorizedError(
        headers.get(signatureHeader) ? `${signatureHeader} matches no access key` : `missing header ${signatureHeader}`,
        'InvalidSignature',
      );
    }
    if (token && verify) {
      const payload = await verify(readBearerToken(headers));
      if (typeof payload.oid !== 'string' || payload.oid.toLowerCase() !== token.callerObjectId) {
        throw invalidToken(`the token was not issued to this ${serviceName} resource`);
      }
      if (typeof payload.tid === 'string' && payload.tid.toLowerCase() !== token.tenantId.toLowerCase() && /^[0-9a-f-]{36}$/i.test(token.tenantId)) {
        throw invalidToken('the token comes from another tenant');
      }
    }
  };
}
