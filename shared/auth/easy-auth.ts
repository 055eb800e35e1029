import { UnauthorizedError } from '../http/errors';
import type { HeaderReader } from '../http/http-headers';

/**
 * App Service / Static Web Apps authentication ("Easy Auth"): the platform authenticates the caller
 * and forwards `x-ms-client-principal` (base64 JSON) and, on App Service, `x-ms-client-principal-id`.
 * The platform strips these headers from outside requests, so they are trustworthy only when Easy
 * Auth is enabled in front of the app — which NegotiateAuth=easyauth asserts.
 * (`HttpRequest.user` of @azure/functions throws for service principals, so it is not used.)
 */

const NAME_IDENTIFIER = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier';

export function readEasyAuthUserId(headers: HeaderReader): string {
  const principalId = headers.get('x-ms-client-principal-id');
  if (principalId) return principalId;
  const raw = headers.get('x-ms-client-principal');
  if (!raw) throw new UnauthorizedError('sign in first: no authenticated principal (x-ms-client-principal) on the request', 'NotAuthenticated');
  let principal: unknown;
  try {
    principal = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw new UnauthorizedError('x-ms-client-principal is not base64-encoded JSON', 'NotAuthenticated');
  }
  const p = (principal ?? {}) as Record<string, unknown>;
  // Static Web Apps shape: { identityProvider, userId, userDetails, userRoles }.
  if (typeof p.userId === 'string' && p.userId !== '') return p.userId;
  // App Service shape: { auth_typ, claims: [{ typ, val }], name_typ, role_typ }.
  if (Array.isArray(p.claims)) {
    const claims = p.claims as { typ?: unknown; val?: unknown }[];
    const find = (typ: string) => claims.find((c) => c && c.typ === typ && typeof c.val === 'string' && c.val !== '')?.val as string | undefined;
    const id = find(NAME_IDENTIFIER) ?? find('oid') ?? find('http://schemas.microsoft.com/identity/claims/objectidentifier') ?? find('sub');
    if (id) return id;
  }
  throw new UnauthorizedError('the authenticated principal has no user id', 'NotAuthenticated');
}
