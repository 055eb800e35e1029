import { randomBytes } from 'node:crypto';
import { isObject } from '../config';
import { ConfigError } from '../core/service-errors';

/**
 * What the local Microsoft Entra authority knows: one tenant, the managed identities it can issue tokens
 * to, the applications (resources) tokens can be issued for, and the Azure RBAC role assignments the
 * emulator's data plane checks. Read from the `entra` object of the emulator's `--config` file.
 */

/** The Web PubSub data plane's resource (Entra first-party application, v1 tokens). */
export const WEB_PUBSUB_RESOURCE = 'https://webpubsub.azure.com';

/** The SignalR Service data plane's resource (Entra first-party application, v1 tokens). */
export const SIGNALR_RESOURCE = 'https://signalr.azure.com';

export const ROLE_SERVICE_OWNER = 'Web PubSub Service Owner';
export const ROLE_SERVICE_READER = 'Web PubSub Service Reader';
/** SignalR Service's built-in data-plane roles (docs/protocol/signalr.md §6.3). */
export const ROLE_SIGNALR_SERVICE_OWNER = 'SignalR Service Owner';
export const ROLE_SIGNALR_APP_SERVER = 'SignalR App Server';
export const ROLE_SIGNALR_REST_API_OWNER = 'SignalR REST API Owner';
export const ROLE_SIGNALR_REST_API_READER = 'SignalR REST API Reader';
export const DATA_PLANE_ROLES: readonly string[] = [
  ROLE_SERVICE_OWNER,
  ROLE_SERVICE_READER,
  ROLE_SIGNALR_SERVICE_OWNER,
  ROLE_SIGNALR_APP_SERVER,
  ROLE_SIGNALR_REST_API_OWNER,
  ROLE_SIGNALR_REST_API_READER,
];

export interface ManagedIdentity {
  /** For logs only (e.g. `id-api`). */
  readonly name: string;
  /** The identity's application (client) id: `appid`/`azp` of its tokens. */
  readonly clientId: string;
  /** The identity's service principal object id: `oid` and `sub` of its tokens; what roles are assigned to. */
  readonly principalId: string;
  /** ARM resource id (`xms_mirid`), when known. */
  readonly resourceId?: string;
}

/** An app registration that tokens can be requested for (`resource` = its appId or an identifier URI). */
export interface Application {
  readonly appId: string;
  readonly identifierUris: readonly string[];
  /** The manifest's `api.requestedAccessTokenVersion`: 2 gives v2 tokens (aud = appId), else v1. */
  readonly accessTokenVersion: 1 | 2;
}

export interface RoleAssignment {
  readonly principalId: string;
  readonly role: string;
}

export interface EntraSettings {
  readonly tenantId: string;
  /** Lifetime of every issued token. Managed-identity tokens live about a day in Azure; tests use seconds. */
  readonly tokenLifetimeSeconds: number;
  /** Clock skew the data plane tolerates on `exp`/`nbf`. */
  readonly clockSkewSeconds: number;
  /** The `IDENTITY_HEADER` secret callers of the managed-identity endpoint must present. */
  readonly identityHeader: string;
  /** Identities the managed-identity endpoint serves: those of the function app. */
  readonly managedIdentities: readonly ManagedIdentity[];
  /** The Web PubSub resource's own (system-assigned) identity: signs upstream requests. Never served by the endpoint. */
  readonly serviceIdentity: ManagedIdentity;
  /** The SignalR Service resource's own identity: its upstream tokens. Never served by the endpoint. */
  readonly signalRIdentity: ManagedIdentity;
  readonly applications: readonly Application[];
  readonly roleAssignments: readonly RoleAssignment[];
}

/** Stable defaults so a bare `--entra` run gives the same ids every time (they are not secrets). */
export const DEFAULT_TENANT_ID = '72f988bf-0000-4000-8000-00000000e1d0';
export const DEFAULT_APP_IDENTITY: ManagedIdentity = {
  name: 'function app identity',
  clientId: 'a0a0a0a0-0000-4000-8000-000000000001',
  principalId: 'b0b0b0b0-0000-4000-8000-000000000001',
};
export const DEFAULT_SERVICE_IDENTITY: ManagedIdentity = {
  name: 'Web PubSub identity',
  clientId: 'a0a0a0a0-0000-4000-8000-000000000002',
  principalId: 'b0b0b0b0-0000-4000-8000-000000000002',
};
export const DEFAULT_SIGNALR_IDENTITY: ManagedIdentity = {
  name: 'SignalR Service identity',
  clientId: 'a0a0a0a0-0000-4000-8000-000000000003',
  principalId: 'b0b0b0b0-0000-4000-8000-000000000003',
};
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 86_400;
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `{ tenantId?, tokenLifetimeSeconds?, clockSkewSeconds?, identityHeader?, managedIdentities?: [{clientId,
 * principalId, name?, resourceId?}], serviceIdentity?: {…}, signalRIdentity?: {…}, applications?: [{appId, identifierUris?,
 * accessTokenVersion?}], roleAssignments?: [{principalId, roleDefinitionName}] }`. Without
 * roleAssignments, every managed identity of the app gets Web PubSub Service Owner and SignalR Service Owner
 * (as infra/ assigns them).
 * Reports every problem at once, by JSON path.
 */
export function parseEntraSettings(json: unknown, source = 'entra'): EntraSettings {
  const problems: string[] = [];
  const raw = json === undefined ? {} : json;
  if (!isObject(raw)) throw new ConfigError([`${source}: expected an object`]);

  const guid = (value: unknown, at: string, fallback?: string): string => {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !GUID.test(value)) {
      problems.push(`${at}: expected a GUID`);
      return fallback ?? '';
    }
    return value.toLowerCase();
  };
  const seconds = (value: unknown, at: string, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${at}: expected a whole number of seconds from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const identity = (value: unknown, at: string, fallback: ManagedIdentity): ManagedIdentity => {
    if (value === undefined) return fallback;
    if (!isObject(value)) {
      problems.push(`${at}: expected an object with clientId and principalId`);
      return fallback;
    }
    const resourceId = value.resourceId;
    if (resourceId !== undefined && typeof resourceId !== 'string') problems.push(`${at}.resourceId: expected a string`);
    return {
      name: typeof value.name === 'string' ? value.name : fallback.name,
      clientId: guid(value.clientId, `${at}.clientId`),
      principalId: guid(value.principalId, `${at}.principalId`),
      ...(typeof resourceId === 'string' ? { resourceId } : {}),
    };
  };

  const tenantId = guid(raw.tenantId, `${source}.tenantId`, DEFAULT_TENANT_ID);
  const tokenLifetimeSeconds = seconds(raw.tokenLifetimeSeconds, `${source}.tokenLifetimeSeconds`, DEFAULT_TOKEN_LIFETIME_SECONDS, 1, 7 * 86_400);
  const clockSkewSeconds = seconds(raw.clockSkewSeconds, `${source}.clockSkewSeconds`, DEFAULT_CLOCK_SKEW_SECONDS, 0, 3600);
  let identityHeader = randomBytes(24).toString('base64url');
  if (raw.identityHeader !== undefined) {
    if (typeof raw.identityHeader !== 'string' || raw.identityHeader.length < 16)
      problems.push(`${source}.identityHeader: expected a string of at least 16 characters`);
    else identityHeader = raw.identityHeader;
  }

  let managedIdentities: ManagedIdentity[] = [DEFAULT_APP_IDENTITY];
  if (raw.managedIdentities !== undefined) {
    if (!Array.isArray(raw.managedIdentities)) problems.push(`${source}.managedIdentities: expected an array`);
    else
      managedIdentities = raw.managedIdentities.map((m, i) =>
        identity(m, `${source}.managedIdentities[${i}]`, { ...DEFAULT_APP_IDENTITY, name: `identity ${i + 1}` }),
      );
  }
  const serviceIdentity = identity(raw.serviceIdentity, `${source}.serviceIdentity`, DEFAULT_SERVICE_IDENTITY);
  if (managedIdentities.some((m) => m.principalId === serviceIdentity.principalId || m.clientId === serviceIdentity.clientId)) {
    problems.push(`${source}.managedIdentities: must not include the Web PubSub resource's own identity (serviceIdentity)`);
  }
  const signalRIdentity = identity(raw.signalRIdentity, `${source}.signalRIdentity`, DEFAULT_SIGNALR_IDENTITY);
  if (managedIdentities.some((m) => m.principalId === signalRIdentity.principalId || m.clientId === signalRIdentity.clientId)) {
    problems.push(`${source}.managedIdentities: must not include the SignalR Service resource's own identity (signalRIdentity)`);
  }

  const applications: Application[] = [];
  if (raw.applications !== undefined) {
    if (!Array.isArray(raw.applications)) problems.push(`${source}.applications: expected an array`);
    else
      raw.applications.forEach((a, i) => {
        const at = `${source}.applications[${i}]`;
        if (!isObject(a)) return void problems.push(`${at}: expected an object with appId`);
        const uris = a.identifierUris ?? [];
        if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string' || u === '')) problems.push(`${at}.identifierUris: expected an array of URIs`);
        const version = a.accessTokenVersion ?? 1;
        if (version !== 1 && version !== 2) problems.push(`${at}.accessTokenVersion: expected 1 or 2`);
        applications.push({
          appId: guid(a.appId, `${at}.appId`),
          identifierUris: Array.isArray(uris) ? (uris as string[]) : [],
          accessTokenVersion: version === 2 ? 2 : 1,
        });
      });
  }

  let roleAssignments: RoleAssignment[] = managedIdentities.flatMap((m) => [
    { principalId: m.principalId, role: ROLE_SERVICE_OWNER },
    { principalId: m.principalId, role: ROLE_SIGNALR_SERVICE_OWNER },
  ]);
  if (raw.roleAssignments !== undefined) {
    if (!Array.isArray(raw.roleAssignments)) problems.push(`${source}.roleAssignments: expected an array`);
    else
      roleAssignments = raw.roleAssignments.flatMap((r, i) => {
        const at = `${source}.roleAssignments[${i}]`;
        if (!isObject(r)) {
          problems.push(`${at}: expected {"principalId", "roleDefinitionName"}`);
          return [];
        }
        const role = r.roleDefinitionName;
        if (typeof role !== 'string' || !DATA_PLANE_ROLES.includes(role)) {
          problems.push(`${at}.roleDefinitionName: expected one of ${DATA_PLANE_ROLES.map((x) => `"${x}"`).join(', ')}`);
          return [];
        }
        return [{ principalId: guid(r.principalId, `${at}.principalId`), role }];
      });
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    tenantId,
    tokenLifetimeSeconds,
    clockSkewSeconds,
    identityHeader,
    managedIdentities,
    serviceIdentity,
    signalRIdentity,
    applications,
    roleAssignments,
  };
}
