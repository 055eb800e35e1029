import { normalizeEndpoint, parseConnectionString } from '../config/connection-string';
import { ConfigError } from '../http/errors';
import { isValidHubName } from '../validation/names';
import { readUpstreamTokenSettings, upstreamTokenSettingNames, type UpstreamTokenSettings } from '../auth/upstream-token-settings';

/**
 * The Azure SignalR Service settings (docs/signalr.md): `AzureSignalRConnectionString`
 * (`Endpoint=…;AccessKey=…;[Port=…;]Version=1.0;`, the name the Functions SignalR extension reads) or,
 * keyless, `AzureSignalRConnectionString__serviceUri`; `SignalRHub` (default `chat`). SignalR is
 * optional: with none of these set the app serves Web PubSub only.
 */

export interface SignalRSettings {
  /** `http(s)://host[:port]`, no trailing slash. */
  readonly endpoint: string;
  /** Primary then secondary; empty when keyless. */
  readonly accessKeys: readonly string[];
  readonly keyless: boolean;
  readonly managedIdentityClientId?: string;
  /**
   * Set when upstream requests (/api/signalr/events) must carry a Microsoft Entra token of the SignalR
   * resource's managed identity: the SignalRUpstreamToken* settings, required when keyless, optional with keys.
   */
  readonly upstreamToken?: UpstreamTokenSettings;
  /** Configured hubs; the first is the default. */
  readonly hubs: readonly string[];
  readonly defaultHub: string;
}

export const SIGNALR_SETTINGS: readonly string[] = Object.freeze([
  'AzureSignalRConnectionString',
  'AzureSignalRConnectionString__serviceUri',
  'AzureSignalRConnectionString__clientId',
  'AzureSignalRSecondaryAccessKey',
  ...upstreamTokenSettingNames('SignalRUpstreamToken'),
  'SignalRHub',
]);

type Get = (name: string) => string | undefined;

export function readSignalRSettings(get: Get, problems: string[]): SignalRSettings | undefined {
  const cs = get('AzureSignalRConnectionString');
  const uri = get('AzureSignalRConnectionString__serviceUri');
  const clientId = get('AzureSignalRConnectionString__clientId');
  const secondary = get('AzureSignalRSecondaryAccessKey');
  const hubSetting = get('SignalRHub');
  if (!cs && !uri) {
    // Every setting but the two that turn SignalR on.
    for (const name of SIGNALR_SETTINGS.slice(2)) {
      if (get(name))
        problems.push(`${name}: only used with AzureSignalRConnectionString (or AzureSignalRConnectionString__serviceUri); set that too or remove it`);
    }
    return undefined;
  }
  if (cs && uri) {
    problems.push('AzureSignalRConnectionString and AzureSignalRConnectionString__serviceUri are both set: set exactly one (key-based or keyless)');
    return undefined;
  }
  const hubs = (hubSetting ?? 'chat')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  for (const h of hubs)
    if (!isValidHubName(h)) problems.push(`SignalRHub: "${h}" is not a valid hub name (a letter, then up to 127 of A-Z a-z 0-9 _ \` . [ ])`);
  if (hubs.length === 0) problems.push('SignalRHub: no hub name given');
  if (new Set(hubs.map((h) => h.toLowerCase())).size !== hubs.length) problems.push('SignalRHub: a hub is listed twice (hub names are case-insensitive)');
  // docs/protocol/signalr.md §6.4: without keys no X-ASRS-Signature arrives; the managed-identity token is the only proof.
  // With keys it is an optional second check. Only SignalR's own mode decides (the EventHandlerToken* settings are Web PubSub's).
  const upstreamToken = readUpstreamTokenSettings(
    get,
    {
      prefix: 'SignalRUpstreamToken',
      ...(cs
        ? {}
        : {
            requiredBecause:
              'required with AzureSignalRConnectionString__serviceUri (keyless): upstream requests carry no X-ASRS-Signature, only a token of the SignalR identity',
          }),
      audienceHint: "the upstream template's auth.managedIdentity.resource",
      callerHint: "object id of the SignalR resource's managed identity",
    },
    problems,
  );
  const hubPart = { hubs, defaultHub: hubs[0] ?? 'chat', ...(upstreamToken ? { upstreamToken } : {}) };
  if (cs) {
    if (clientId) problems.push('AzureSignalRConnectionString__clientId: only used with AzureSignalRConnectionString__serviceUri (keyless); remove it');
    try {
      const info = parseConnectionString(cs, 'AzureSignalRConnectionString');
      if (!info.accessKey) {
        problems.push('AzureSignalRConnectionString: AccessKey is missing (for keyless access set AzureSignalRConnectionString__serviceUri instead)');
        return undefined;
      }
      return { endpoint: info.endpoint, accessKeys: secondary ? [info.accessKey, secondary] : [info.accessKey], keyless: false, ...hubPart };
    } catch (e) {
      problems.push(...(e instanceof ConfigError ? e.problems : ['AzureSignalRConnectionString: cannot be parsed']));
      return undefined;
    }
  }
  if (secondary) problems.push('AzureSignalRSecondaryAccessKey: only used with an access key in AzureSignalRConnectionString; remove it in keyless mode');
  try {
    const endpoint = normalizeEndpoint(uri!, undefined, 'AzureSignalRConnectionString__serviceUri');
    if (!endpoint.startsWith('https://')) {
      problems.push('AzureSignalRConnectionString__serviceUri: must be an https:// URL (Microsoft Entra tokens are never sent over http)');
      return undefined;
    }
    return { endpoint, accessKeys: [], keyless: true, ...(clientId ? { managedIdentityClientId: clientId } : {}), ...hubPart };
  } catch (e) {
    problems.push(...(e instanceof ConfigError ? e.problems : ['AzureSignalRConnectionString__serviceUri: not a valid URL']));
    return undefined;
  }
}

/** The configured hub matching `requested` case-insensitively (the default when empty). */
export function findSignalRHub(settings: SignalRSettings, requested: string | null | undefined): string | undefined {
  if (requested === null || requested === undefined || requested === '') return settings.defaultHub;
  return settings.hubs.find((h) => h.toLowerCase() === requested.toLowerCase());
}
