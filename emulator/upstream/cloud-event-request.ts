import { ceSignature } from './ce-signature';
import { percentEncodeHeaderValue } from './header-value-encoding';

/**
 * Builds the CloudEvents (binary mode) requests the emulator sends upstream (docs/protocol/cloud-events.md §3, §5–7). Pure.
 */

/** A system event the service sends upstream, and a handler can subscribe to (docs/protocol/cloud-events.md §1). */
export type SystemEventName = 'connect' | 'connected' | 'disconnected';
export const SYSTEM_EVENTS: readonly SystemEventName[] = ['connect', 'connected', 'disconnected'];

export type UpstreamEvent =
  | { readonly kind: 'system'; readonly name: SystemEventName; readonly body: Buffer }
  | { readonly kind: 'user'; readonly name: string; readonly contentType: string; readonly body: Buffer }
  /** Group presence (docs/protocol/client-sdk-features.md §5): body `{"group":…}`, ce-type `azure.webpubsub.gp.<name>`. */
  | { readonly kind: 'presence'; readonly name: 'joined' | 'left'; readonly group: string; readonly body: Buffer };

const CE_TYPE_PREFIX = { system: 'azure.webpubsub.sys.', user: 'azure.webpubsub.user.', presence: 'azure.webpubsub.gp.' } as const;

/** What the headers say about the connection. */
export interface EventConnection {
  readonly hub: string;
  readonly connectionId: string;
  readonly userId: string | null;
  /** Omitted from the headers when null (for `connect`: not selected yet). */
  readonly subprotocol: string | null;
  /** Omitted when empty (docs/protocol/cloud-events.md §8). */
  readonly state: string;
  /** MQTT connections only (docs/protocol/cloud-events.md §10). */
  readonly physicalConnectionId?: string;
  readonly sessionId?: string;
}

export const SYSTEM_CONTENT_TYPE = 'application/json; charset=utf-8';

/** docs/protocol/cloud-events.md §3: the exact header set of every event POST. */
export function buildCloudEventHeaders(input: {
  event: UpstreamEvent;
  connection: EventConnection;
  ceId: string;
  time: Date;
  keys: readonly string[];
  /** `WebHook-Request-Origin`: the host name only (docs/protocol/cloud-events.md §2, so the Functions extension accepts it). */
  origin: string;
  /** connectionHeaders(connection, keys, origin), when the caller keeps it per connection. */
  fixed?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const { event } = input;
  const fixed = input.fixed ?? connectionHeaders(input.connection, input.keys, input.origin);
  return {
    'Content-Type': event.kind === 'user' ? event.contentType : SYSTEM_CONTENT_TYPE,
    ...fixed,
    // Event names come from clients: encoded like every other ce-* value the service makes (see below).
    'ce-type': percentEncodeHeaderValue(CE_TYPE_PREFIX[event.kind] + event.name),
    'ce-id': percentEncodeHeaderValue(input.ceId),
    'ce-time': ceTime(input.time),
    'ce-eventName': percentEncodeHeaderValue(event.name),
  };
}

/**
 * The headers that are the same for every event of one connection, `ce-signature` included: the
 * dispatcher keeps them per connection (connection-header-cache.ts) instead of building them and
 * computing an HMAC per key for every event. Pure.
 */
export function connectionHeaders(connection: EventConnection, keys: readonly string[], origin: string): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {
    'WebHook-Request-Origin': origin,
    'ce-specversion': '1.0',
    'ce-awpsversion': '1.0',
    'ce-source': percentEncodeHeaderValue(`/hubs/${connection.hub}/client/${connection.connectionId}`),
    'ce-hub': percentEncodeHeaderValue(connection.hub),
    'ce-connectionId': percentEncodeHeaderValue(connection.connectionId),
  };
  // Every ce-* value the service makes (user id, event name, type, hub…) goes out percent-encoded where the
  // CloudEvents HTTP binding asks for it; ASCII-only values are unchanged. ce-connectionState is the app's
  // own header value echoed back as it was received (it already passed through HTTP), so it is left alone.
  if (connection.userId !== null && connection.userId !== '') headers['ce-userId'] = percentEncodeHeaderValue(connection.userId);
  if (connection.subprotocol) headers['ce-subprotocol'] = percentEncodeHeaderValue(connection.subprotocol);
  if (connection.state !== '') headers['ce-connectionState'] = connection.state;
  if (connection.physicalConnectionId !== undefined) headers['ce-physicalConnectionId'] = percentEncodeHeaderValue(connection.physicalConnectionId);
  if (connection.sessionId !== undefined) headers['ce-sessionId'] = percentEncodeHeaderValue(connection.sessionId);
  // docs/protocol/cloud-events.md §4: one entry per key (primary first) so receivers survive key rotation.
  if (keys.length > 0) headers['ce-signature'] = ceSignature(connection.connectionId, keys);
  return headers;
}

/** docs/protocol/cloud-events.md §3: UTC like 2021-01-01T00:00:00Z; formatted once per second, not per event. */
let ceTimeSecond = Number.NaN;
let ceTimeText = '';
function ceTime(time: Date): string {
  const second = Math.floor(time.getTime() / 1000);
  if (second !== ceTimeSecond) {
    ceTimeText = time.toISOString().replace(/\.\d{3}Z$/, 'Z');
    ceTimeSecond = second;
  }
  return ceTimeText;
}

/** docs/protocol/cloud-events.md §6: the connect request body. Every map value is an array of strings. */
export function connectEvent(input: {
  claims: Readonly<Record<string, string[]>>;
  query: Readonly<Record<string, string[]>>;
  headers: Readonly<Record<string, string[]>>;
  subprotocols: readonly string[];
  /** MQTT connections: the CONNECT packet's properties (docs/protocol/cloud-events.md §10). */
  mqtt?: unknown;
}): UpstreamEvent {
  const body = {
    claims: input.claims,
    query: input.query,
    headers: input.headers,
    subprotocols: input.subprotocols,
    clientCertificates: [],
    ...(input.mqtt !== undefined ? { mqtt: input.mqtt } : {}),
  };
  return { kind: 'system', name: 'connect', body: Buffer.from(JSON.stringify(body), 'utf8') };
}

const EMPTY_OBJECT = Buffer.from('{}');

/** docs/protocol/cloud-events.md §5: `connected` has body `{}` (express JSON.parses it). */
export function connectedEvent(): UpstreamEvent {
  return { kind: 'system', name: 'connected', body: EMPTY_OBJECT };
}

/** `mqtt`: the MQTT disconnect properties of an MQTT connection (docs/protocol/cloud-events.md §10). */
export function disconnectedEvent(reason: string, mqtt?: unknown): UpstreamEvent {
  const body = mqtt === undefined ? { reason } : { reason, mqtt };
  return { kind: 'system', name: 'disconnected', body: Buffer.from(JSON.stringify(body), 'utf8') };
}

/** docs/protocol/cloud-events.md §7.1: the content type follows the data type. */
export function userEvent(name: string, dataType: 'json' | 'text' | 'binary', data: Buffer): UpstreamEvent {
  const contentType = dataType === 'json' ? 'application/json' : dataType === 'text' ? 'text/plain' : 'application/octet-stream';
  return { kind: 'user', name, contentType, body: data };
}
