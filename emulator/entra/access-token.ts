import { randomBytes, randomUUID } from 'node:crypto';
import { SIGNALR_RESOURCE, WEB_PUBSUB_RESOURCE, type Application, type ManagedIdentity } from './entra-settings';

/**
 * The claims of an app-only access token, as Microsoft Entra issues them to a managed identity
 * (the "Access token claims reference" of the Microsoft identity platform). Pure: the caller gives the
 * clock and the random parts come from `random` (tests pass a fixed one).
 *
 * The version follows the resource, not the caller: an application whose manifest asks for v2 tokens
 * gets `ver: "2.0"`, the v2 issuer, `aud` = its appId and `azp`/`azpacr`; every other resource,
 * including first-party ones such as Web PubSub, gets `ver: "1.0"`, the v1 (`sts.windows.net` form)
 * issuer, `aud` as requested and `appid`/`appidacr`.
 */

export type TokenVersion = 1 | 2;

export interface ResolvedResource {
  /** The `aud` claim. */
  readonly audience: string;
  readonly version: TokenVersion;
}

/** Why no token can be issued for a resource; message in Entra's style (AADSTS500011). */
export class UnknownResourceError extends Error {
  override readonly name = 'UnknownResourceError';
}

/**
 * The audience and token version for a requested `resource` (a v1 resource or a scope without
 * `/.default`). Unknown resources fail as Entra fails them: the resource principal is not in the tenant.
 */
export function resolveResource(resource: string, applications: readonly Application[], tenantId: string): ResolvedResource {
  const requested = resource.replace(/\/\.default$/i, '');
  const bare = requested.replace(/\/+$/, '');
  if (bare.toLowerCase() === WEB_PUBSUB_RESOURCE) return { audience: WEB_PUBSUB_RESOURCE, version: 1 };
  if (bare.toLowerCase() === SIGNALR_RESOURCE) return { audience: SIGNALR_RESOURCE, version: 1 };
  const lower = bare.toLowerCase();
  const app = applications.find((a) => a.appId === lower || a.identifierUris.some((u) => u.replace(/\/+$/, '').toLowerCase() === lower));
  if (!app) {
    throw new UnknownResourceError(
      `AADSTS500011: The resource principal named ${requested} was not found in the tenant named ${tenantId}. ` +
        'This can happen if the application has not been installed by the administrator of the tenant. ' +
        '(Local authority: add it to entra.applications in the emulator config.)',
    );
  }
  // v2 tokens always carry the appId; v1 tokens carry the resource the caller named.
  return app.accessTokenVersion === 2 ? { audience: app.appId, version: 2 } : { audience: requested, version: 1 };
}

export interface AccessTokenInput {
  /** `https://<host>:<port>/`: the authority's base URL, standing in for login.microsoftonline.com and sts.windows.net. */
  readonly authority: string;
  readonly tenantId: string;
  readonly identity: ManagedIdentity;
  readonly resource: ResolvedResource;
  /** Seconds since the epoch. */
  readonly now: number;
  readonly lifetimeSeconds: number;
  readonly random?: () => Buffer;
}

export interface AccessTokenClaims {
  readonly [claim: string]: string | number;
}

/** The issuer of v1 tokens (`https://sts.windows.net/<tid>/` in Azure). */
export function issuerV1(authority: string, tenantId: string): string {
  return `${authority}${tenantId}/`;
}

/** The issuer of v2 tokens (`https://login.microsoftonline.com/<tid>/v2.0` in Azure). */
export function issuerV2(authority: string, tenantId: string): string {
  return `${authority}${tenantId}/v2.0`;
}

export function accessTokenClaims(input: AccessTokenInput): AccessTokenClaims {
  const random = input.random ?? (() => randomBytes(24));
  const { identity, resource, tenantId, now } = input;
  const common = {
    aud: resource.audience,
    iss: resource.version === 2 ? issuerV2(input.authority, tenantId) : issuerV1(input.authority, tenantId),
    iat: now,
    nbf: now,
    exp: now + input.lifetimeSeconds,
    // Opaque to resources: "aio" (internal data) and "rh" (token revalidation), "uti" (token id).
    aio: random().toString('base64url'),
  };
  const app: AccessTokenClaims =
    resource.version === 2
      ? // azpacr/appidacr "2": the client authenticated with a certificate or client assertion, as managed identities do.
        { azp: identity.clientId, azpacr: '2' }
      : { appid: identity.clientId, appidacr: '2', idp: issuerV1(input.authority, tenantId) };
  return {
    ...common,
    ...app,
    idtyp: 'app',
    oid: identity.principalId,
    rh: `0.${random().toString('base64url')}.`,
    // App-only tokens: the subject is the service principal itself.
    sub: identity.principalId,
    tid: tenantId,
    uti: uuidToUti(randomUUID()),
    ver: resource.version === 2 ? '2.0' : '1.0',
    ...(identity.resourceId ? { xms_mirid: identity.resourceId } : {}),
  };
}

/** `uti` looks like 22 base64url characters. */
function uuidToUti(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}
