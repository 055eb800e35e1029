import { normalizeEndpoint, parseConnectionString } from './connection-string';
import { ConfigError } from '../http/errors';
import { findName, isValidGroupName, isValidHubName } from '../validation/names';
import { isValidRole } from '../auth/roles';
import { checkHttpsUrl, readUpstreamTokenSettings, upstreamTokenSettingNames, type UpstreamTokenSettings } from '../auth/upstream-token-settings';
import { readSignalRSettings, SIGNALR_SETTINGS, type SignalRSettings } from '../signalr/signalr-settings';
import { readChatService, type ChatService } from '../chat/chat-service';

/**
 * The one module that reads the environment. `loadConfig` is pure (tests pass a literal env),
 * validates every setting, reports every problem by setting name, and returns a frozen object.
 * `functions/index.ts` calls it once at start-up so a bad setting fails the app, not the first request.
 */

export type NegotiateAuthMode = 'dev' | 'easyauth' | 'jwt';

/** One hub as the functions app serves it (the emulator's own hub settings are a different type). */
export interface AppHubSettings {
  /** As configured (case preserved); hub names compare case-insensitively. */
  readonly name: string;
  /** Roles negotiate puts in client tokens (none unless WebPubSubRoles says so). */
  readonly roles: readonly string[];
  /** Groups the client joins at connect (token `webpubsub.group`). */
  readonly groups: readonly string[];
}

export interface ServiceSettings {
  /** `http(s)://host[:port]`, no trailing slash. */
  readonly endpoint: string;
  /** Primary then secondary access key; empty in keyless mode. */
  readonly accessKeys: readonly string[];
  /** Keyless (Microsoft Entra) mode: REST and client tokens through DefaultAzureCredential. */
  readonly keyless: boolean;
  /** Client id of a user-assigned managed identity (keyless mode only). */
  readonly managedIdentityClientId?: string;
}

export type NegotiateAuthSettings =
  | { readonly mode: 'dev' }
  | { readonly mode: 'easyauth' }
  | {
      readonly mode: 'jwt';
      readonly jwksUrl?: string;
      readonly secret?: string;
      readonly issuer: string;
      readonly audience: string;
      readonly userClaim: string;
    };

/** Microsoft Entra token check for Web PubSub upstream events (docs/protocol/cloud-events.md §9). */
export type EventHandlerTokenSettings = UpstreamTokenSettings;

export interface Config {
  readonly service: ServiceSettings;
  /** Configured hubs; the first is the default for negotiate and publish. */
  readonly hubs: readonly AppHubSettings[];
  readonly defaultHub: string;
  readonly tokenLifetimeMinutes: number;
  readonly negotiateAuth: NegotiateAuthSettings;
  /** Exact origins (`scheme://host[:port]`, lower case) or `['*']`; empty = no CORS headers. */
  readonly corsAllowedOrigins: readonly string[];
  /** Host names accepted in `WebHook-Request-Origin`: the endpoint's host name, then the extras. */
  readonly eventHandlerAllowedOrigins: readonly string[];
  /** Set when Web PubSub upstream requests (/api/eventhandler) must carry a Microsoft Entra bearer token. */
  readonly eventHandlerToken?: EventHandlerTokenSettings;
  /** True when running in Azure App Service / Functions (WEBSITE_SITE_NAME or WEBSITE_INSTANCE_ID). */
  readonly hostedInAzure: boolean;
  /** Azure SignalR Service, when configured (alongside Web PubSub). */
  readonly signalr?: SignalRSettings;
  /** The service the chat page uses (`ChatService`, default webpubsub). */
  readonly chatService: ChatService;
}

/** Every application setting `loadConfig` reads; `<hub>` marks a per-hub suffix. */
export const KNOWN_SETTINGS: readonly string[] = Object.freeze([
  'WebPubSubConnectionString',
  'WebPubSubConnectionString__serviceUri',
  'WebPubSubConnectionString__clientId',
  'WebPubSubSecondaryAccessKey',
  'WebPubSubHub',
  'WebPubSubRoles',
  'WebPubSubRoles__<hub>',
  'WebPubSubGroups',
  'WebPubSubGroups__<hub>',
  'WebPubSubTokenLifetimeMinutes',
  'NegotiateAuth',
  'NegotiateJwtJwksUrl',
  'NegotiateJwtSecret',
  'NegotiateJwtIssuer',
  'NegotiateJwtAudience',
  'NegotiateJwtUserClaim',
  'CorsAllowedOrigins',
  'EventHandlerAllowedOrigins',
  ...upstreamTokenSettingNames('EventHandlerToken'),
  ...SIGNALR_SETTINGS,
  'ChatService',
]);

/**
 * Settings owned by the Functions platform (not by this app). `loadConfig` reads only
 * `WEBSITE_SITE_NAME` and `WEBSITE_INSTANCE_ID` (to detect that it runs in Azure) and
 * `WEBSITE_AUTH_ENABLED` (easyauth mode) from this list.
 */
export const PLATFORM_SETTINGS: readonly string[] = Object.freeze([
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'FUNCTIONS_NODE_BLOCK_ON_ENTRY_POINT_ERROR',
  'AzureWebJobsStorage',
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__blobServiceUri',
  'AzureWebJobsStorage__queueServiceUri',
  'AzureWebJobsStorage__tableServiceUri',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'AzureWebJobsFeatureFlags',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
  'WEBSITE_SITE_NAME',
  'WEBSITE_INSTANCE_ID',
  'WEBSITE_AUTH_ENABLED',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTSHARE',
  'AZURE_CLIENT_ID',
  // Read by App Service Authentication (easyauth), not by the app.
  'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID',
  'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET',
  'languageWorkers__node__arguments',
]);

/** True when `name` is a known setting, including the per-hub `WebPubSubRoles__<hub>` forms. */
export function isKnownSetting(name: string): boolean {
  if (KNOWN_SETTINGS.includes(name)) return true;
  const m = /^(WebPubSubRoles|WebPubSubGroups)__(.+)$/.exec(name);
  return m !== null && isValidHubName(m[2]!);
}

/**
 * The settings a ConfigError's problems name, in order, without repeats: each problem starts with the
 * setting (`Name: ...`) or names several (`A and B are both set`). Only known setting names outside
 * quotes are returned, so a caller can show them without showing any value.
 */
export function settingNames(problems: readonly string[]): string[] {
  const names: string[] = [];
  for (const problem of problems) {
    // Quoted text is a value the user gave, never a setting name.
    for (const word of problem.replace(/"[^"]*"/g, '').match(/[A-Za-z_][\w]*(?:__[\w.`[\]]+)?/g) ?? []) {
      if (isKnownSetting(word) && !names.includes(word)) names.push(word);
    }
  }
  return names;
}

export const DEFAULT_HUB = 'chat';
/**
 * Least privilege: no group roles unless WebPubSubRoles grants them. A direct `sendToGroup` from a client
 * skips the hub (no `from` stamping, no validation), and `joinLeaveGroup` lets a client into any group,
 * the hub's own included; the chat sends and changes rooms through events instead.
 */
export const DEFAULT_ROLES: readonly string[] = [];
const NO_ROLES = 'none';

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    // An empty value means "not set": local.settings.json and app settings often carry empty strings.
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const service = readService(get, problems);
  const hubs = readHubs(env, get, problems);
  const tokenLifetimeMinutes = readInteger(get, 'WebPubSubTokenLifetimeMinutes', 60, 1, 1440, problems);
  const hostedInAzure = get('WEBSITE_SITE_NAME') !== undefined || get('WEBSITE_INSTANCE_ID') !== undefined;
  const negotiateAuth = readNegotiateAuth(get, hostedInAzure, problems);
  const corsAllowedOrigins = readCorsOrigins(get, problems);
  const extraOrigins = readHostList(get, 'EventHandlerAllowedOrigins', problems);
  const signalr = readSignalRSettings(get, problems);
  const chatService = readChatService(get('ChatService'), signalr !== undefined, problems);
  const eventHandlerToken = readEventHandlerToken(get, service, problems);

  if (problems.length > 0 || !service) throw new ConfigError(problems);
  const endpointHost = new URL(service.endpoint).hostname.toLowerCase();
  return deepFreeze({
    service,
    hubs,
    defaultHub: hubs[0]!.name,
    tokenLifetimeMinutes,
    negotiateAuth,
    corsAllowedOrigins,
    eventHandlerAllowedOrigins: [endpointHost, ...extraOrigins.filter((h) => h !== endpointHost)],
    ...(eventHandlerToken ? { eventHandlerToken } : {}),
    hostedInAzure,
    ...(signalr ? { signalr } : {}),
    chatService,
  });
}

/** The settings of a configured hub, found case-insensitively. */
export function findHubSettings(config: Config, hub: string): AppHubSettings | undefined {
  const name = findName(
    config.hubs.map((h) => h.name),
    hub,
  );
  return name === undefined ? undefined : config.hubs.find((h) => h.name === name);
}

type Get = (name: string) => string | undefined;

function readService(get: Get, problems: string[]): ServiceSettings | undefined {
  const cs = get('WebPubSubConnectionString');
  const uri = get('WebPubSubConnectionString__serviceUri');
  const clientId = get('WebPubSubConnectionString__clientId');
  const secondary = get('WebPubSubSecondaryAccessKey');
  if (cs && uri) {
    problems.push('WebPubSubConnectionString and WebPubSubConnectionString__serviceUri are both set: set exactly one (key-based or keyless)');
    return undefined;
  }
  if (!cs && !uri) {
    problems.push(
      'WebPubSubConnectionString: not set (expected Endpoint=https://<name>.webpubsub.azure.com;AccessKey=...;Version=1.0;), or set WebPubSubConnectionString__serviceUri for keyless access',
    );
    return undefined;
  }
  if (cs) {
    if (clientId) problems.push('WebPubSubConnectionString__clientId: only used with WebPubSubConnectionString__serviceUri (keyless); remove it');
    try {
      const info = parseConnectionString(cs, 'WebPubSubConnectionString');
      if (!info.accessKey) {
        problems.push('WebPubSubConnectionString: AccessKey is missing (for keyless access set WebPubSubConnectionString__serviceUri instead)');
        return undefined;
      }
      return { endpoint: info.endpoint, accessKeys: secondary ? [info.accessKey, secondary] : [info.accessKey], keyless: false };
    } catch (e) {
      problems.push(...(e instanceof ConfigError ? e.problems : ['WebPubSubConnectionString: cannot be parsed']));
      return undefined;
    }
  }
  if (secondary) problems.push('WebPubSubSecondaryAccessKey: only used with an access key in WebPubSubConnectionString; remove it in keyless mode');
  try {
    const endpoint = normalizeEndpoint(uri!, undefined, 'WebPubSubConnectionString__serviceUri');
    // docs/protocol/auth.md §1.2: core-rest-pipeline refuses bearer tokens over plain http.
    if (!endpoint.startsWith('https://')) {
      problems.push('WebPubSubConnectionString__serviceUri: must be an https:// URL (Microsoft Entra tokens are never sent over http)');
      return undefined;
    }
    return { endpoint, accessKeys: [], keyless: true, ...(clientId ? { managedIdentityClientId: clientId } : {}) };
  } catch (e) {
    problems.push(...(e instanceof ConfigError ? e.problems : ['WebPubSubConnectionString__serviceUri: not a valid URL']));
    return undefined;
  }
}

function readHubs(env: Env, get: Get, problems: string[]): AppHubSettings[] {
  const names = splitList(get('WebPubSubHub') ?? DEFAULT_HUB);
  const hubs: AppHubSettings[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!isValidHubName(name)) {
      problems.push(`WebPubSubHub: "${name}" is not a valid hub name (a letter, then up to 127 of A-Z a-z 0-9 _ \` . [ ])`);
      continue;
    }
    if (seen.has(name.toLowerCase())) {
      problems.push(`WebPubSubHub: "${name}" is listed twice (hub names are case-insensitive)`);
      continue;
    }
    seen.add(name.toLowerCase());
    hubs.push({
      name,
      roles: readRoles(env, get, name, problems),
      groups: readGroups(env, get, name, problems),
    });
  }
  if (names.length === 0) problems.push('WebPubSubHub: no hub name given');
  // A per-hub setting for a hub that is not configured is almost always a typo.
  for (const key of Object.keys(env)) {
    const m = /^(WebPubSubRoles|WebPubSubGroups)__(.+)$/i.exec(key);
    if (m && !seen.has(m[2]!.toLowerCase())) problems.push(`${key}: hub "${m[2]}" is not listed in WebPubSubHub`);
  }
  return hubs;
}

/** Per-hub settings are looked up case-insensitively (`WebPubSubRoles__Chat` applies to hub `chat`). */
function perHub(env: Env, base: string, hub: string): [string, string | undefined] {
  const wanted = `${base}__${hub}`.toLowerCase();
  const key = Object.keys(env).find((k) => k.toLowerCase() === wanted);
  const value = key === undefined ? undefined : env[key]?.trim();
  return [key ?? `${base}__${hub}`, value === '' ? undefined : value];
}

function readRoles(env: Env, get: Get, hub: string, problems: string[]): string[] {
  const [hubKey, hubValue] = perHub(env, 'WebPubSubRoles', hub);
  const [key, value] = hubValue !== undefined ? [hubKey, hubValue] : ['WebPubSubRoles', get('WebPubSubRoles')];
  if (value === undefined) return [...DEFAULT_ROLES];
  if (value.toLowerCase() === NO_ROLES) return [];
  const roles = splitList(value);
  for (const r of roles) {
    if (!isValidRole(r)) problems.push(`${key}: "${r}" is not a Web PubSub role (e.g. webpubsub.joinLeaveGroup, webpubsub.sendToGroup.<group>), or use "none"`);
  }
  return [...new Set(roles)];
}

function readGroups(env: Env, get: Get, hub: string, problems: string[]): string[] {
  const [hubKey, hubValue] = perHub(env, 'WebPubSubGroups', hub);
  const [key, value] = hubValue !== undefined ? [hubKey, hubValue] : ['WebPubSubGroups', get('WebPubSubGroups')];
  if (value === undefined) return [];
  const groups = splitList(value);
  for (const g of groups) if (!isValidGroupName(g)) problems.push(`${key}: "${g}" is not a valid group name (1..1024 characters)`);
  return [...new Set(groups)];
}

function readInteger(get: Get, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    problems.push(`${name}: "${raw}" must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return n;
}

function readNegotiateAuth(get: Get, hostedInAzure: boolean, problems: string[]): NegotiateAuthSettings {
  const raw = get('NegotiateAuth');
  // No default: outside App Service (Container Apps, Kubernetes, a blank WEBSITE_SITE_NAME) nothing
  // tells production from a laptop, and a silent "dev" would trust ?userId= from anyone.
  if (raw === undefined) {
    problems.push(
      'NegotiateAuth: not set; set it to "easyauth" (App Service Authentication), "jwt" (your identity provider\'s tokens) or, for local development only, "dev" (trusts the userId query parameter)',
    );
    return { mode: 'dev' };
  }
  const mode = raw.toLowerCase();
  if (mode === 'dev') {
    if (hostedInAzure) {
      problems.push(
        'NegotiateAuth: "dev" trusts the userId query parameter and is refused when hosted in Azure (WEBSITE_SITE_NAME/WEBSITE_INSTANCE_ID is set); use "easyauth" or "jwt"',
      );
    }
    return { mode: 'dev' };
  }
  if (mode === 'easyauth') {
    // The principal headers are only trustworthy when App Service Authentication strips forged ones;
    // App Service sets WEBSITE_AUTH_ENABLED=True when it is on. Fail closed in Azure without it.
    if (hostedInAzure && get('WEBSITE_AUTH_ENABLED')?.toLowerCase() !== 'true') {
      problems.push(
        'NegotiateAuth: "easyauth" needs App Service Authentication enabled on the app (WEBSITE_AUTH_ENABLED is not True), otherwise anyone could forge x-ms-client-principal',
      );
    }
    return { mode: 'easyauth' };
  }
  if (mode !== 'jwt') {
    problems.push(`NegotiateAuth: "${get('NegotiateAuth')}" is not one of dev, easyauth, jwt`);
    return { mode: 'dev' };
  }
  const jwksUrl = get('NegotiateJwtJwksUrl');
  const secret = get('NegotiateJwtSecret');
  const issuer = get('NegotiateJwtIssuer');
  const audience = get('NegotiateJwtAudience');
  const userClaim = get('NegotiateJwtUserClaim') ?? 'sub';
  if (jwksUrl && secret) problems.push('NegotiateJwtJwksUrl and NegotiateJwtSecret are both set: set exactly one');
  if (!jwksUrl && !secret) problems.push('NegotiateJwtJwksUrl: required when NegotiateAuth is "jwt" (or set NegotiateJwtSecret for HS256 tokens)');
  if (jwksUrl) checkHttpsUrl(jwksUrl, 'NegotiateJwtJwksUrl', problems);
  // RFC 7518 §3.2: an HS256 key must be at least 256 bits.
  if (secret && Buffer.byteLength(secret, 'utf8') < 32) problems.push('NegotiateJwtSecret: must be at least 32 bytes long');
  if (!issuer) problems.push('NegotiateJwtIssuer: required when NegotiateAuth is "jwt"');
  if (!audience) problems.push('NegotiateJwtAudience: required when NegotiateAuth is "jwt"');
  return {
    mode: 'jwt',
    ...(jwksUrl ? { jwksUrl } : {}),
    ...(secret ? { secret } : {}),
    issuer: issuer ?? '',
    audience: audience ?? '',
    userClaim,
  };
}

function readCorsOrigins(get: Get, problems: string[]): string[] {
  const raw = get('CorsAllowedOrigins');
  if (raw === undefined) return [];
  const items = splitList(raw);
  if (items.includes('*')) {
    if (items.length > 1) problems.push('CorsAllowedOrigins: "*" cannot be combined with other origins');
    return ['*'];
  }
  const origins: string[] = [];
  for (const item of items) {
    try {
      const url = new URL(item);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== item.toLowerCase().replace(/\/$/, '')) throw new Error();
      origins.push(url.origin);
    } catch {
      problems.push(`CorsAllowedOrigins: "${item}" is not an origin (scheme://host[:port], no path), or use "*"`);
    }
  }
  return origins;
}

/** Host names for WebHook-Request-Origin: `host`, `host:port` or a URL; the port is ignored. */
function readHostList(get: Get, name: string, problems: string[]): string[] {
  const raw = get(name);
  if (raw === undefined) return [];
  const hosts: string[] = [];
  for (const item of splitList(raw)) {
    try {
      const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(item) ? item : `https://${item}`);
      if (url.pathname !== '/' || url.search || url.username) throw new Error();
      hosts.push(url.hostname.toLowerCase());
    } catch {
      problems.push(`${name}: "${item}" is not a host name (host or host:port)`);
    }
  }
  return [...new Set(hosts)];
}

function readEventHandlerToken(get: Get, service: ServiceSettings | undefined, problems: string[]): EventHandlerTokenSettings | undefined {
  // docs/protocol/cloud-events.md §4, docs/protocol/auth.md §1.2: without access keys no ce-signature arrives, so the Entra token is
  // the only proof that an event comes from the service. With keys it is an optional second check. Only Web PubSub's own
  // mode decides: SignalR Service checks its upstream with its own SignalRUpstreamToken* settings.
  return readUpstreamTokenSettings(
    get,
    {
      prefix: 'EventHandlerToken',
      ...(service?.keyless === true ? { requiredBecause: 'required in keyless mode (no access key to verify ce-signature)' } : {}),
      audienceHint: "the hub event handler's auth.managedIdentity.resource",
      callerHint: "object id of the Web PubSub resource's managed identity",
    },
    problems,
  );
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
