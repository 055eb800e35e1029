import { createHash } from 'node:crypto';
import type { Session } from './session-cookie';

/**
 * What App Service Authentication tells the app about a signed-in Microsoft Entra user: the
 * `x-ms-client-principal*` request headers and the `/.auth/me` document. Pure.
 *
 * Shapes (Microsoft Learn, "Work with user identities in Azure App Service authentication" and
 * "Work with OAuth tokens in Azure App Service authentication"):
 * - `X-MS-CLIENT-PRINCIPAL`: base64 of `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }`;
 * - `X-MS-CLIENT-PRINCIPAL-ID`: the identity provider's id for the caller (Entra: the object id, `oid`);
 * - `X-MS-CLIENT-PRINCIPAL-NAME`: a human-readable name (Entra: the user principal name / e-mail);
 * - `X-MS-CLIENT-PRINCIPAL-IDP`: the provider, `aad`;
 * - `/.auth/me`: an array with one entry per provider: `{ access_token?, expires_on?, id_token?,
 *   provider_name, user_claims: [{ typ, val }], user_id }` (tokens only with the token store).
 * Claim types as App Service maps Entra ID-token claims: the WS-Federation URIs for the object id,
 * tenant id and subject, short names for the rest.
 */

export const PROVIDER = 'aad';
export const CLAIM = {
  nameIdentifier: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  tenantId: 'http://schemas.microsoft.com/identity/claims/tenantid',
  emailAddress: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  role: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
} as const;

/** The request headers App Service sets for a signed-in caller; lower case, as node:http reports names. */
export const PRINCIPAL_HEADERS = ['x-ms-client-principal', 'x-ms-client-principal-id', 'x-ms-client-principal-name', 'x-ms-client-principal-idp'] as const;

export interface Directory {
  /** The tenant the local users belong to (`tid`, and the issuer's tenant). */
  readonly tenantId: string;
  /** The sign-in app's client id: the ID token's audience. */
  readonly clientId: string;
}

export interface Claim {
  readonly typ: string;
  readonly val: string;
}

/**
 * The ids of a local user, stable for a name (the same name is the same person after a restart), shaped
 * as Entra shapes them: `oid` a GUID, `sub` an opaque base64url string distinct from it.
 */
export function identityFor(name: string): { name: string; oid: string; sub: string } {
  const digest = (purpose: string) => createHash('sha256').update(`local-easyauth\0${purpose}\0${name}`, 'utf8').digest();
  const h = digest('oid');
  // RFC 9562 layout: version 5 bits, variant 10.
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  const oid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { name, oid, sub: digest('sub').subarray(0, 32).toString('base64url') };
}

/** The ID-token claims of a session, in App Service's `{ typ, val }` form. */
export function sessionClaims(session: Session, directory: Directory): Claim[] {
  return [
    { typ: 'aud', val: directory.clientId },
    { typ: 'iss', val: `https://login.microsoftonline.com/${directory.tenantId}/v2.0` },
    { typ: 'iat', val: String(session.iat) },
    { typ: 'nbf', val: String(session.iat) },
    { typ: 'exp', val: String(session.exp) },
    { typ: 'name', val: session.name },
    { typ: CLAIM.objectId, val: session.oid },
    { typ: 'preferred_username', val: session.name },
    { typ: CLAIM.nameIdentifier, val: session.sub },
    { typ: CLAIM.tenantId, val: directory.tenantId },
    { typ: 'ver', val: '2.0' },
  ];
}

/** The `x-ms-client-principal*` headers App Service adds to a request of a signed-in caller. */
export function principalHeaders(session: Session, directory: Directory): Record<(typeof PRINCIPAL_HEADERS)[number], string> {
  const principal = {
    auth_typ: PROVIDER,
    claims: sessionClaims(session, directory),
    // Entra sessions name the user by this claim type in the principal; roles by the role URI.
    name_typ: CLAIM.emailAddress,
    role_typ: CLAIM.role,
  };
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify(principal), 'utf8').toString('base64'),
    'x-ms-client-principal-id': session.oid,
    // A header carries bytes: the UTF-8 of the name, as Node hands the app a header that arrived over
    // the wire (one character per byte). A raw non-Latin-1 string would be refused by fetch's Headers.
    'x-ms-client-principal-name': Buffer.from(session.name, 'utf8').toString('latin1'),
    'x-ms-client-principal-idp': PROVIDER,
  };
}

/** The `/.auth/me` body: one entry for the Entra provider. No tokens: the local sign-in issues none. */
export function meDocument(session: Session, directory: Directory): unknown[] {
  return [
    {
      provider_name: PROVIDER,
      user_claims: sessionClaims(session, directory),
      user_id: session.name,
    },
  ];
}

/**
 * Removes the headers only App Service may set (`x-ms-client-principal*`, and the provider-token
 * headers `x-ms-token-*`) from a caller's request, so a caller can never pose as a signed-in user.
 */
export function stripPlatformHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string | string[] | undefined> {
  const kept = Object.create(null) as Record<string, string | string[] | undefined>;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-ms-client-principal') || lower.startsWith('x-ms-token-')) continue;
    kept[name] = value;
  }
  return kept;
}

/** True when a caller sent any header stripPlatformHeaders removes (cheap check for the hot path). */
export function hasPlatformHeaders(headers: Readonly<Record<string, unknown>>): boolean {
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-ms-client-principal') || lower.startsWith('x-ms-token-')) return true;
  }
  return false;
}
