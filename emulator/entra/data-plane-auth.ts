import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { VerifiedTokenCache } from '../auth/verified-token-cache';
import { ForbiddenError, UnauthorizedError } from '../core/service-errors';
import type { LocalAuthority } from './authority';
import { ROLE_SERVICE_OWNER, ROLE_SERVICE_READER, WEB_PUBSUB_RESOURCE, type RoleAssignment } from './entra-settings';

/**
 * Microsoft Entra authentication and Azure RBAC authorization of data-plane REST calls, as the
 * service makes them: the bearer token must be signed by the tenant's authority, be issued by it (v1
 * or v2 issuer), have `aud` = `https://webpubsub.azure.com` and be within its lifetime (401
 * otherwise); its `oid` must then hold a data-plane role that allows the operation (403 otherwise).
 */

export interface EntraPrincipal {
  readonly oid: string;
  /** `appid` (v1) or `azp` (v2). */
  readonly clientId: string;
}

/** Operations a Web PubSub Service Reader may call: the read-only ones. Owners may call every one. */
const READ_OPERATIONS: ReadonlySet<string> = new Set(['connectionExists', 'groupExists', 'userExists', 'checkPermission', 'listConnectionsInGroup']);

export type EntraTokenVerifier = (token: string) => Promise<EntraPrincipal>;

/**
 * `audience`: the data plane's resource, Web PubSub's unless given (SignalR Service passes its own).
 * Verified tokens are kept until they expire (auth/verified-token-cache.ts): an RS256 check through
 * WebCrypto costs far more than an HMAC. The token alone decides the outcome here (issuer, tenant and audience
 * are fixed per verifier, and each verifier has its own cache; the role check runs on every call, in
 * authorizeOperation), so the token string is the key, and the key set it verified against is the generation.
 */
export function createEntraTokenVerifier(
  authority: LocalAuthority,
  audience: string = WEB_PUBSUB_RESOURCE,
  cache = new VerifiedTokenCache<EntraPrincipal>(),
): EntraTokenVerifier {
  const keys = createLocalJWKSet(authority.jwks());
  return async (token) => {
    const cached = cache.get(token, keys, Date.now());
    if (cached !== undefined) return cached;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: [authority.issuerV1, authority.issuerV2],
        audience: [audience, `${audience}/`],
        clockTolerance: authority.settings.clockSkewSeconds,
        requiredClaims: ['exp', 'oid', 'tid'],
      }));
    } catch (e) {
      throw invalidToken(describeFailure(e, audience));
    }
    if (payload.tid !== authority.settings.tenantId) throw invalidToken('The Microsoft Entra token was issued for another tenant.');
    const clientId = typeof payload.appid === 'string' ? payload.appid : typeof payload.azp === 'string' ? payload.azp : '';
    const principal = { oid: String(payload.oid).toLowerCase(), clientId };
    // jose accepts until exp + tolerance (exp is a required claim, checked above).
    cache.set(token, keys, principal, (Number(payload.exp) + authority.settings.clockSkewSeconds) * 1000, Date.now());
    return principal;
  };
}

/** Throws ForbiddenError unless a role assigned to the principal allows the operation. */
export function authorizeOperation(principal: EntraPrincipal, operation: string, assignments: readonly RoleAssignment[]): void {
  const roles = assignments.filter((a) => a.principalId === principal.oid).map((a) => a.role);
  if (roles.includes(ROLE_SERVICE_OWNER)) return;
  if (roles.includes(ROLE_SERVICE_READER) && READ_OPERATIONS.has(operation)) return;
  throw new ForbiddenError(
    roles.length === 0
      ? `The principal ${principal.oid} has no Web PubSub data-plane role on this resource; assign it "${ROLE_SERVICE_OWNER}".`
      : `The principal ${principal.oid} holds ${roles.map((r) => `"${r}"`).join(', ')}, which does not allow ${operation}; assign it "${ROLE_SERVICE_OWNER}".`,
  );
}

/**
 * 401 as the service sends it: no body, the reason in the Bearer challenge (RFC 6750 §3). The
 * description is one of the fixed texts below: the token is never echoed.
 */
export function invalidToken(message: string): UnauthorizedError {
  const description = message.replace(/["\\]/g, '').replace(/\.$/, '');
  return new UnauthorizedError(message, undefined, { headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` } });
}

/** Fixed texts: the token is never echoed. */
function describeFailure(e: unknown, audience: string): string {
  if (e instanceof joseErrors.JWTExpired) return 'The Microsoft Entra token has expired.';
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return `The Microsoft Entra token audience (aud) is not ${audience}.`;
    if (e.claim === 'iss') return "The Microsoft Entra token was not issued by this tenant's authority (iss).";
    if (e.claim === 'nbf') return 'The Microsoft Entra token is not valid yet (nbf).';
    return 'The Microsoft Entra token lacks a required claim.';
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed || e instanceof joseErrors.JWKSNoMatchingKey) {
    return "The Microsoft Entra token signature does not verify with the authority's signing keys.";
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return 'The Microsoft Entra token must be signed with RS256.';
  return 'The bearer token is not a well-formed Microsoft Entra token.';
}
