import { isGuid } from '../validation/names';

/**
 * The Microsoft Entra token check of one service's upstream requests (docs/protocol/cloud-events.md §9 for
 * Web PubSub, docs/protocol/signalr.md §6.4 for SignalR Service). Each service reads its own five settings,
 * `<prefix>TenantId`, `Audience`, `CallerObjectId`, `JwksUrl` and `Issuer` (prefix `EventHandlerToken` or
 * `SignalRUpstreamToken`), so one service's mode never turns on, or drops, the other's check.
 */

export interface UpstreamTokenSettings {
  readonly tenantId: string;
  readonly audience: string;
  /** Lower case: compared with the token's `oid`. */
  readonly callerObjectId: string;
  readonly jwksUrl: string;
  readonly issuers: readonly string[];
}

export interface UpstreamTokenSpec {
  /** `EventHandlerToken` or `SignalRUpstreamToken`. */
  readonly prefix: string;
  /** Why the check is required (keyless), or undefined when it is optional. */
  readonly requiredBecause?: string;
  /** What the audience is, in this service's terms. */
  readonly audienceHint: string;
  /** Whose object id the caller object id is. */
  readonly callerHint: string;
}

type Get = (name: string) => string | undefined;

/** The setting names of one service's check, in the order they are read. */
export function upstreamTokenSettingNames(prefix: string): string[] {
  return ['TenantId', 'Audience', 'CallerObjectId', 'JwksUrl', 'Issuer'].map((s) => `${prefix}${s}`);
}

/**
 * The check when required or when any of its settings is set (then tenant, audience and caller are all
 * required: a partial set would otherwise be ignored in silence); undefined when none is set and none is needed.
 */
export function readUpstreamTokenSettings(get: Get, spec: UpstreamTokenSpec, problems: string[]): UpstreamTokenSettings | undefined {
  const [tenantName, audienceName, callerName, jwksName, issuerName] = upstreamTokenSettingNames(spec.prefix) as [string, string, string, string, string];
  const tenantId = get(tenantName);
  const audience = get(audienceName);
  const callerObjectId = get(callerName);
  const jwksUrl = get(jwksName);
  const issuer = get(issuerName);
  const anySet = [tenantId, audience, callerObjectId, jwksUrl, issuer].some((v) => v !== undefined);
  if (!anySet && spec.requiredBecause === undefined) return undefined;
  const why = spec.requiredBecause ?? `required once any ${spec.prefix}* setting is set`;
  if (!tenantId) problems.push(`${tenantName}: ${why}`);
  else if (!/^[A-Za-z0-9.-]{1,253}$/.test(tenantId)) problems.push(`${tenantName}: must be a tenant id (GUID) or domain`);
  if (!audience) problems.push(`${audienceName}: ${why} (${spec.audienceHint})`);
  if (!callerObjectId) problems.push(`${callerName}: ${why} (${spec.callerHint})`);
  else if (!isGuid(callerObjectId)) problems.push(`${callerName}: must be a GUID (${spec.callerHint})`);
  if (jwksUrl) checkHttpsUrl(jwksUrl, jwksName, problems);
  if (!tenantId || !audience || !callerObjectId) return undefined;
  return {
    tenantId,
    audience,
    callerObjectId: callerObjectId.toLowerCase(),
    jwksUrl: jwksUrl ?? `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`,
    // Entra issues v1 (sts.windows.net) or v2 tokens depending on the resource's accessTokenAcceptedVersion.
    issuers: issuer ? [issuer] : [`https://login.microsoftonline.com/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`],
  };
}

/** https only, except http on loopback (local identity providers and tests). */
export function checkHttpsUrl(value: string, name: string, problems: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name}: "${value}" is not a valid URL`);
    return;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) problems.push(`${name}: must be an https:// URL`);
}
