import { ConfigError } from './core/service-errors';
import { parseServiceConnectionString } from './core/connection-string';
import { hubKey, isValidHubName } from './core/name-rules';

import { SYSTEM_EVENTS, type SystemEventName } from './upstream/cloud-event-request';

/** A group presence event (docs/protocol/client-sdk-features.md §5; ARM `groupPresenceEvents.eventNames`). */
export type GroupPresenceEventName = 'joined' | 'left';
export const GROUP_PRESENCE_EVENTS: readonly GroupPresenceEventName[] = ['joined', 'left'];

/** ARM hub schema `eventHandlers[].groupPresenceEvents`. */
export interface GroupPresenceSettings {
  /** Empty = no presence events for this handler. */
  readonly eventNames: readonly GroupPresenceEventName[];
  /** Group name patterns (`*` matches any run of characters); empty or absent = every group. */
  readonly groupFilters?: readonly string[];
}

/** One event handler of a hub (docs/protocol/cloud-events.md §1), in the order the hub lists them. */
export interface EventHandlerSettings {
  /** May contain `{hub}` and `{event}` (URL-escaped when resolved). */
  readonly urlTemplate: string;
  /** `*`, `a,b` or `a`; compared case-insensitively. Empty = no user events. */
  readonly userEventPattern: string;
  readonly systemEvents: readonly SystemEventName[];
  /** ARM `auth`: ManagedIdentity sends `Authorization: Bearer <token of the service's identity for resource>`. */
  readonly auth?: UpstreamAuthSettings;
  /** Absent = no group presence events (as in the service: presence is opt-in per handler). */
  readonly groupPresenceEvents?: GroupPresenceSettings;
}

/** ARM's UpstreamAuthSettings (docs/protocol/cloud-events.md §9): `{ type: "None" }` or `{ type: "ManagedIdentity", managedIdentity: { resource } }`. */
export type UpstreamAuthSettings = { readonly type: 'None' } | { readonly type: 'ManagedIdentity'; readonly managedIdentity: { readonly resource: string } };

/**
 * A hub's settings as the service holds them (the ARM hub resource's properties): its event handlers,
 * anonymous-connect policy and keep-alive interval. Not the app's hub settings (which say what the
 * functions app does with a hub).
 */
export interface ServiceHubSettings {
  /** The hub name as configured (sent as `ce-hub`). */
  readonly name: string;
  readonly eventHandlers: readonly EventHandlerSettings[];
  readonly anonymousConnectPolicy: 'allow' | 'deny';
  /** docs/protocol/client-protocols.md §6: default 20, range 1–120 (fractions allowed programmatically, for tests). */
  readonly webSocketKeepAliveIntervalInSeconds: number;
}

export const DEFAULT_KEEPALIVE_SECONDS = 20;

/** The settings of a hub nobody configured: no handlers, anonymous connects denied. */
export function defaultHubSettings(name: string): ServiceHubSettings {
  return { name, eventHandlers: [], anonymousConnectPolicy: 'deny', webSocketKeepAliveIntervalInSeconds: DEFAULT_KEEPALIVE_SECONDS };
}

/** `--upstream hub=url` without a config file: one handler for every event (the task's CLI contract). */
export function handlerForAllEvents(urlTemplate: string): EventHandlerSettings {
  return { urlTemplate, userEventPattern: '*', systemEvents: SYSTEM_EVENTS };
}

/**
 * Validates the `--config` JSON:
 * `{ "hubs": { "<hub>": { "eventHandlers": [{ "urlTemplate", "userEventPattern"?, "systemEvents"? }],
 *   "anonymousConnectPolicy"?, "webSocketKeepAliveIntervalInSeconds"? } } }`.
 * Reports every problem at once, by JSON path. Returns settings keyed by `hubKey`.
 */
export function parseHubsConfig(json: unknown, source = 'config'): Map<string, ServiceHubSettings> {
  const problems: string[] = [];
  const hubs = new Map<string, ServiceHubSettings>();
  if (!isObject(json)) throw new ConfigError([`${source}: expected a JSON object with a "hubs" object`]);
  const rawHubs = json.hubs ?? {};
  if (!isObject(rawHubs)) throw new ConfigError([`${source}: "hubs" must be an object keyed by hub name`]);
  for (const [name, raw] of Object.entries(rawHubs)) {
    const at = `${source}: hubs.${name}`;
    if (!isValidHubName(name)) problems.push(`${at}: invalid hub name (letters, digits and _\`,.[] ; starts with a letter; at most 128)`);
    if (hubs.has(hubKey(name))) problems.push(`${at}: the hub is listed twice (hub names are case-insensitive)`);
    if (!isObject(raw)) {
      problems.push(`${at}: expected an object`);
      continue;
    }
    const handlers: EventHandlerSettings[] = [];
    const rawHandlers = raw.eventHandlers ?? [];
    if (!Array.isArray(rawHandlers)) problems.push(`${at}.eventHandlers: expected an array`);
    else
      rawHandlers.forEach((h, i) => {
        const handler = parseHandler(h, `${at}.eventHandlers[${i}]`, problems);
        if (handler) handlers.push(handler);
      });
    const policy = raw.anonymousConnectPolicy ?? 'deny';
    if (policy !== 'allow' && policy !== 'deny') problems.push(`${at}.anonymousConnectPolicy: expected "allow" or "deny"`);
    const keepAlive = raw.webSocketKeepAliveIntervalInSeconds ?? DEFAULT_KEEPALIVE_SECONDS;
    if (typeof keepAlive !== 'number' || !Number.isInteger(keepAlive) || keepAlive < 1 || keepAlive > 120) {
      problems.push(`${at}.webSocketKeepAliveIntervalInSeconds: expected a whole number from 1 to 120`);
    }
    hubs.set(hubKey(name), {
      name,
      eventHandlers: handlers,
      anonymousConnectPolicy: policy === 'allow' ? 'allow' : 'deny',
      webSocketKeepAliveIntervalInSeconds: typeof keepAlive === 'number' ? keepAlive : DEFAULT_KEEPALIVE_SECONDS,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return hubs;
}

function parseHandler(raw: unknown, at: string, problems: string[]): EventHandlerSettings | undefined {
  if (!isObject(raw)) {
    problems.push(`${at}: expected an object`);
    return undefined;
  }
  const { urlTemplate, userEventPattern = '*', systemEvents = SYSTEM_EVENTS, groupPresenceEvents } = raw;
  let ok = true;
  const auth = parseUpstreamAuth(raw.auth, `${at}.auth`, problems);
  if (auth === null) ok = false;
  const presence = parseGroupPresence(groupPresenceEvents, `${at}.groupPresenceEvents`, problems);
  if (presence === null) ok = false;
  if (typeof urlTemplate !== 'string' || validateUrlTemplate(urlTemplate) !== undefined) {
    problems.push(`${at}.urlTemplate: ${typeof urlTemplate === 'string' ? validateUrlTemplate(urlTemplate) : 'expected a string'}`);
    ok = false;
  }
  if (typeof userEventPattern !== 'string') {
    problems.push(`${at}.userEventPattern: expected a string such as "*" or "message,chat"`);
    ok = false;
  }
  if (!Array.isArray(systemEvents) || systemEvents.some((e) => !SYSTEM_EVENTS.includes(e as SystemEventName))) {
    problems.push(`${at}.systemEvents: expected an array of "connect", "connected", "disconnected"`);
    ok = false;
  }
  if (!ok) return undefined;
  return {
    urlTemplate: urlTemplate as string,
    userEventPattern: userEventPattern as string,
    systemEvents: systemEvents as SystemEventName[],
    ...(auth && auth.type !== 'None' ? { auth } : {}),
    ...(presence ? { groupPresenceEvents: presence } : {}),
  };
}

/** Undefined when absent, null when invalid (problems recorded). */
export function parseGroupPresence(raw: unknown, at: string, problems: string[]): GroupPresenceSettings | undefined | null {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) {
    problems.push(`${at}: expected an object such as { "eventNames": ["joined", "left"] }`);
    return null;
  }
  const { eventNames = [], groupFilters } = raw;
  let ok = true;
  if (!Array.isArray(eventNames) || eventNames.some((e) => !GROUP_PRESENCE_EVENTS.includes(e as GroupPresenceEventName))) {
    problems.push(`${at}.eventNames: expected an array of "joined", "left"`);
    ok = false;
  }
  if (groupFilters !== undefined && groupFilters !== null && (!Array.isArray(groupFilters) || groupFilters.some((g) => typeof g !== 'string' || g === ''))) {
    problems.push(`${at}.groupFilters: expected an array of non-empty group name patterns`);
    ok = false;
  }
  if (!ok) return null;
  return {
    eventNames: [...new Set(eventNames as GroupPresenceEventName[])],
    ...(Array.isArray(groupFilters) && groupFilters.length > 0 ? { groupFilters: groupFilters as string[] } : {}),
  };
}

/** Undefined when absent, null when invalid (the problem is recorded). */
export function parseUpstreamAuth(raw: unknown, at: string, problems: string[]): UpstreamAuthSettings | undefined | null {
  if (raw === undefined) return undefined;
  if (isObject(raw) && raw.type === 'None') return { type: 'None' };
  if (isObject(raw) && raw.type === 'ManagedIdentity') {
    const resource = isObject(raw.managedIdentity) ? raw.managedIdentity.resource : undefined;
    if (typeof resource === 'string' && resource.trim() !== '') return { type: 'ManagedIdentity', managedIdentity: { resource: resource.trim() } };
    problems.push(`${at}.managedIdentity.resource: expected the token audience (an application id or URI)`);
    return null;
  }
  problems.push(`${at}: expected {"type":"None"} or {"type":"ManagedIdentity","managedIdentity":{"resource":"<audience>"}}`);
  return null;
}

/** Undefined when valid, else the problem. docs/protocol/cloud-events.md §1: placeholders are not allowed in the host. */
export function validateUrlTemplate(template: string): string | undefined {
  let url: URL;
  try {
    url = new URL(template.replace(/\{(hub|event)\}/gi, 'x'));
  } catch {
    return `"${template}" is not an absolute URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${template}" must start with http:// or https://`;
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(template)?.[1] ?? '';
  if (/\{/.test(authority)) return `"${template}": placeholders are not allowed in the host name`;
  return undefined;
}

/** Adds a handler to a hub's settings (creating the hub with defaults when absent). */
export function withHandler(hubs: Map<string, ServiceHubSettings>, hub: string, handler: EventHandlerSettings): Map<string, ServiceHubSettings> {
  const next = new Map(hubs);
  const current = next.get(hubKey(hub)) ?? defaultHubSettings(hub);
  next.set(hubKey(hub), { ...current, eventHandlers: [...current.eventHandlers, handler] });
  return next;
}

/** Port and key for a run without flags, from `local.settings.sample.json` (its Values.WebPubSubConnectionString). */
export function readSampleSettings(text: string, source: string): { port: number; key: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError([`${source}: not valid JSON`]);
  }
  const value = isObject(json) && isObject(json.Values) ? json.Values.WebPubSubConnectionString : undefined;
  if (typeof value !== 'string') throw new ConfigError([`${source}: Values.WebPubSubConnectionString is missing`]);
  const info = parseServiceConnectionString(value, `${source}: Values.WebPubSubConnectionString`);
  if (!info.accessKey) throw new ConfigError([`${source}: Values.WebPubSubConnectionString has no AccessKey`]);
  return { port: info.port, key: info.accessKey };
}

/** A JSON object (not null, not an array): what every object in a config file must be. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The public development key of local.settings.sample.json, used when neither --key nor the file is available. */
export const DEVELOPMENT_KEY = 'LocalDevelopmentKey-NotASecret-DoNotUseInAzure-0123456789';
export const DEFAULT_PORT = 8080;

/** Programmatic hub settings (startEmulator): everything but the handler URL is optional. */
export interface ServiceHubSettingsInput {
  readonly eventHandlers?: readonly (Partial<EventHandlerSettings> & { readonly urlTemplate: string })[];
  readonly anonymousConnectPolicy?: 'allow' | 'deny';
  readonly webSocketKeepAliveIntervalInSeconds?: number;
}

/** Fills defaults (handlers: every user event and every system event) and keys the hubs case-insensitively. */
export function normalizeHubs(input: Readonly<Record<string, ServiceHubSettingsInput>>): Map<string, ServiceHubSettings> {
  const out = new Map<string, ServiceHubSettings>();
  for (const [name, h] of Object.entries(input)) {
    if (!isValidHubName(name)) throw new ConfigError([`hub "${name}": invalid hub name`]);
    out.set(hubKey(name), {
      name,
      eventHandlers: (h.eventHandlers ?? []).map((e) => ({
        urlTemplate: e.urlTemplate,
        userEventPattern: e.userEventPattern ?? '*',
        systemEvents: e.systemEvents ?? SYSTEM_EVENTS,
        ...(e.auth && e.auth.type !== 'None' ? { auth: e.auth } : {}),
        ...(e.groupPresenceEvents ? { groupPresenceEvents: e.groupPresenceEvents } : {}),
      })),
      anonymousConnectPolicy: h.anonymousConnectPolicy ?? 'deny',
      webSocketKeepAliveIntervalInSeconds: h.webSocketKeepAliveIntervalInSeconds ?? DEFAULT_KEEPALIVE_SECONDS,
    });
  }
  return out;
}
