import { decodeConnectionState } from './connection-state-codec';
import { BadRequestError, PayloadTooLargeError } from '../http/errors';
import type {
  Certificate,
  ConnectionContext,
  MqttConnectProperties,
  MqttDisconnectedProperties,
  MqttUserProperty,
  UserEventRequest,
  WebPubSubEvent,
} from './event-types';
import { mediaType, type HeaderReader } from '../http/http-headers';
import { isValidConnectionId, isValidHubName } from '../validation/names';
import { decodeHeaderValue } from './percent-decoding';

/**
 * Parsing of upstream CloudEvents in HTTP binary mode (docs/protocol/cloud-events.md §3, §5–§7). Pure: takes
 * headers and bytes, returns a typed event or throws BadRequestError / PayloadTooLargeError.
 * Parsing is split in two so the edge can authenticate (which needs only the connection id)
 * before it reads the body.
 */

/** Web PubSub messages are at most 1 MB; a margin covers the connect event's headers and claims. */
export const MAX_EVENT_BODY_BYTES = 1024 * 1024 + 64 * 1024;

export type EventKind = WebPubSubEvent['kind'];

export interface EventHeaders {
  readonly kind: EventKind;
  readonly context: ConnectionContext;
  /** Problems worth a log line that did not fail the request (e.g. an undecodable state). */
  readonly warnings: readonly string[];
}

// A Map, not an object literal: `ce-type` is attacker-controlled, and a lookup of `__proto__` or
// `constructor` in a plain object finds Object.prototype members instead of nothing.
const SYSTEM_TYPES: ReadonlyMap<string, EventKind> = new Map<string, EventKind>([
  ['azure.webpubsub.sys.connect', 'connect'],
  ['azure.webpubsub.sys.connected', 'connected'],
  ['azure.webpubsub.sys.disconnected', 'disconnected'],
  // Group presence (docs/protocol/client-sdk-features.md §5): ce-eventName is `joined` / `left`.
  ['azure.webpubsub.gp.joined', 'groupJoined'],
  ['azure.webpubsub.gp.left', 'groupLeft'],
]);
const PRESENCE_EVENT_NAMES: ReadonlyMap<EventKind, string> = new Map<EventKind, string>([
  ['groupJoined', 'joined'],
  ['groupLeft', 'left'],
]);
const USER_PREFIX = 'azure.webpubsub.user.';

export function parseEventHeaders(headers: HeaderReader): EventHeaders {
  const type = required(headers, 'ce-type');
  const hub = required(headers, 'ce-hub');
  const connectionId = required(headers, 'ce-connectionId');
  const eventName = required(headers, 'ce-eventName');

  const systemKind = SYSTEM_TYPES.get(type.toLowerCase());
  let kind: EventKind;
  let expectedName: string;
  if (systemKind) {
    kind = systemKind;
    expectedName = PRESENCE_EVENT_NAMES.get(systemKind) ?? systemKind;
  } else if (type.toLowerCase().startsWith(USER_PREFIX) && type.length > USER_PREFIX.length) {
    kind = 'user';
    expectedName = type.slice(USER_PREFIX.length);
  } else {
    throw new BadRequestError(
      `ce-type "${clip(type)}" is not a Web PubSub event (azure.webpubsub.sys.connect|connected|disconnected, azure.webpubsub.gp.joined|left or azure.webpubsub.user.<event>)`,
      'InvalidEventType',
    );
  }
  if (eventName.toLowerCase() !== expectedName.toLowerCase()) {
    throw new BadRequestError(`ce-eventName "${clip(eventName)}" does not match ce-type "${clip(type)}"`, 'InvalidEventType');
  }
  if (!isValidHubName(hub)) throw new BadRequestError(`ce-hub "${clip(hub)}" is not a valid hub name`, 'InvalidHub');
  if (!isValidConnectionId(connectionId)) throw new BadRequestError('ce-connectionId is not a valid connection id', 'InvalidConnectionId');

  const userId = optional(headers, 'ce-userId');
  const subprotocol = optional(headers, 'ce-subprotocol');
  const { states, warning } = decodeConnectionState(headers.get('ce-connectionState'));
  // docs/protocol/cloud-events.md §10, as @azure/web-pubsub-express tells MQTT apart: subprotocol mqtt plus a physical connection id.
  const physicalConnectionId = headers.get('ce-physicalConnectionId');
  const sessionId = headers.get('ce-sessionId');
  const isMqtt = physicalConnectionId !== null && (subprotocol ?? '').toLowerCase().includes('mqtt');
  const context: ConnectionContext = {
    hub,
    connectionId,
    eventName: expectedName,
    ...(userId ? { userId } : {}),
    ...(subprotocol ? { subprotocol } : {}),
    origin: headers.get('webhook-request-origin') ?? '',
    states,
    clientProtocol: isMqtt ? 'mqtt' : 'default',
    ...(isMqtt ? { mqtt: { physicalConnectionId, ...(sessionId ? { sessionId } : {}) } } : {}),
  };
  return { kind, context, warnings: warning ? [warning] : [] };
}

/** Parses the body for the event announced by the headers. */
export function parseCloudEvent(envelope: EventHeaders, contentType: string | null, body: Uint8Array): WebPubSubEvent {
  if (body.byteLength > MAX_EVENT_BODY_BYTES) {
    throw new PayloadTooLargeError(`event body is ${body.byteLength} bytes; the limit is ${MAX_EVENT_BODY_BYTES}`);
  }
  const { context } = envelope;
  switch (envelope.kind) {
    case 'connect':
      return { kind: 'connect', request: { context, ...parseConnectBody(body, context.clientProtocol === 'mqtt') } };
    case 'connected':
      // The body is `{}`; nothing in it is used (docs/protocol/cloud-events.md §5).
      return { kind: 'connected', request: { context } };
    case 'disconnected': {
      const json = body.byteLength === 0 ? {} : parseJsonObject(body, 'disconnected');
      const reason = json.reason;
      if (reason !== undefined && reason !== null && typeof reason !== 'string') throw new BadRequestError('disconnected body: "reason" must be a string');
      const mqtt = context.clientProtocol === 'mqtt' ? mqttDisconnected(json.mqtt) : undefined;
      return { kind: 'disconnected', request: { context, ...(typeof reason === 'string' ? { reason } : {}), ...(mqtt ? { mqtt } : {}) } };
    }
    case 'user':
      return { kind: 'user', request: parseUserEvent(context, contentType, body) };
    case 'groupJoined':
    case 'groupLeft': {
      // express 1.1.0 reads `group` from the JSON body (cloudEventsDispatcher.js readSystemEventRequest).
      const group = parseJsonObject(body, envelope.context.eventName).group;
      if (typeof group !== 'string' || group === '') throw new BadRequestError(`${envelope.context.eventName} body: "group" must be a non-empty string`);
      return { kind: envelope.kind, request: { context, group } };
    }
  }
}

function parseConnectBody(
  body: Uint8Array,
  isMqtt: boolean,
): {
  claims: Record<string, string[]>;
  query: Record<string, string[]>;
  headers: Record<string, string[]>;
  subprotocols: string[];
  clientCertificates: Certificate[];
  mqtt?: MqttConnectProperties;
} {
  const json = parseJsonObject(body, 'connect');
  return {
    claims: stringArrayMap(json.claims, 'claims'),
    query: stringArrayMap(json.query, 'query'),
    headers: stringArrayMap(json.headers, 'headers'),
    subprotocols: stringArray(json.subprotocols, 'subprotocols'),
    clientCertificates: certificates(json.clientCertificates),
    ...(isMqtt ? { mqtt: mqttConnect(json.mqtt) } : {}),
  };
}

/** docs/protocol/cloud-events.md §10: the connect body's `mqtt` object; required for MQTT connections. */
function mqttConnect(value: unknown): MqttConnectProperties {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError('connect body: an MQTT connection needs an "mqtt" object');
  const m = value as Record<string, unknown>;
  if (typeof m.protocolVersion !== 'number' || !Number.isInteger(m.protocolVersion))
    throw new BadRequestError('connect body: "mqtt.protocolVersion" must be an integer');
  for (const key of ['username', 'password'] as const) {
    if (m[key] !== undefined && m[key] !== null && typeof m[key] !== 'string') throw new BadRequestError(`connect body: "mqtt.${key}" must be a string`);
  }
  const userProperties = mqttUserProperties(m.userProperties, 'mqtt.userProperties');
  return {
    protocolVersion: m.protocolVersion,
    ...(typeof m.username === 'string' ? { username: m.username } : {}),
    ...(typeof m.password === 'string' ? { password: m.password } : {}),
    ...(userProperties ? { userProperties } : {}),
  };
}

/** docs/protocol/cloud-events.md §10: the disconnected body's `mqtt` object; an unusable one is left out rather than failing the event. */
function mqttDisconnected(value: unknown): MqttDisconnectedProperties | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  const packet = m.disconnectPacket as Record<string, unknown> | null | undefined;
  if (typeof m.initiatedByClient !== 'boolean' || !packet || typeof packet !== 'object' || typeof packet.code !== 'number') return undefined;
  const userProperties = mqttUserProperties(packet.userProperties, 'mqtt.disconnectPacket.userProperties');
  return { initiatedByClient: m.initiatedByClient, disconnectPacket: { code: packet.code, ...(userProperties ? { userProperties } : {}) } };
}

function mqttUserProperties(value: unknown, field: string): MqttUserProperty[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    !Array.isArray(value) ||
    !value.every(
      (p: unknown) =>
        typeof p === 'object' && p !== null && typeof (p as MqttUserProperty).name === 'string' && typeof (p as MqttUserProperty).value === 'string',
    )
  ) {
    throw new BadRequestError(`connect body: "${field}" must be an array of { name, value } strings`);
  }
  return (value as MqttUserProperty[]).map((p) => ({ name: p.name, value: p.value }));
}

function parseUserEvent(context: ConnectionContext, contentType: string | null, body: Uint8Array): UserEventRequest {
  // docs/protocol/cloud-events.md §7.1: the Content-Type (parameters ignored) decides the data type; others → 400,
  // as the Functions extension does.
  const type = mediaType(contentType);
  switch (type) {
    case 'text/plain':
      return { context, dataType: 'text', data: decodeUtf8(body) };
    case 'application/json': {
      const text = decodeUtf8(body);
      try {
        return { context, dataType: 'json', data: JSON.parse(text) as unknown };
      } catch {
        throw new BadRequestError('user event body is not valid JSON', 'InvalidJson');
      }
    }
    case 'application/octet-stream':
      return { context, dataType: 'binary', data: body };
    default:
      throw new BadRequestError(
        `user event Content-Type "${clip(type)}" is not supported (text/plain, application/json or application/octet-stream)`,
        'UnsupportedContentType',
      );
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new BadRequestError('event body is not valid UTF-8', 'InvalidText');
  }
}

function parseJsonObject(body: Uint8Array, event: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodeUtf8(body));
  } catch (e) {
    if (e instanceof BadRequestError) throw e;
    throw new BadRequestError(`${event} body is not valid JSON`, 'InvalidJson');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError(`${event} body must be a JSON object`, 'InvalidJson');
  return value as Record<string, unknown>;
}

/** `{ key: string[] }` maps (docs/protocol/cloud-events.md §6). A single string is accepted as a one-item array. */
function stringArrayMap(value: unknown, field: string): Record<string, string[]> {
  const out = Object.create(null) as Record<string, string[]>;
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError(`connect body: "${field}" must be an object of string arrays`);
  for (const [k, v] of Object.entries(value)) {
    // The field label is only built for an error message (it was a visible share of a connect event).
    out[k] = typeof v === 'string' ? [v] : stringArray(v, field, k);
  }
  return out;
}

/** `key`, when given, names the entry of the map `field` (error messages only). */
function stringArray(value: unknown, field: string, key?: string): string[] {
  if (value === undefined || value === null) return [];
  const fail = () => new BadRequestError(`connect body: "${key === undefined ? field : `${field}.${clip(key)}`}" must be an array of strings`);
  if (!Array.isArray(value)) throw fail();
  const out = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item === 'string') out[i] = item;
    // Numeric claims such as exp arrive as strings from the service; tolerate raw numbers/booleans.
    else if (typeof item === 'number' || typeof item === 'boolean') out[i] = String(item);
    else throw fail();
  }
  return out;
}

function certificates(value: unknown): Certificate[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadRequestError('connect body: "clientCertificates" must be an array');
  return value.map((c: unknown) => {
    const cert = c as Record<string, unknown> | null;
    if (!cert || typeof cert !== 'object' || typeof cert.thumbprint !== 'string') {
      throw new BadRequestError('connect body: each client certificate needs a "thumbprint" string');
    }
    return typeof cert.content === 'string' ? { thumbprint: cert.thumbprint, content: cert.content } : { thumbprint: cert.thumbprint };
  });
}

/** A ce-* attribute, percent-decoded (CloudEvents HTTP binding §3.1.3.2). */
function required(headers: HeaderReader, name: string): string {
  const value = optional(headers, name);
  if (value === undefined) throw new BadRequestError(`missing header ${name}`, 'MissingHeader');
  return value;
}

function optional(headers: HeaderReader, name: string): string | undefined {
  const value = headers.get(name);
  if (value === null || value === '') return undefined;
  return decodeHeaderValue(name, value);
}

/** Echo at most 100 characters of a caller's value in an error message. */
function clip(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
