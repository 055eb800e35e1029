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
}): Record<string, string> {
  const { event, connection } = input;
  const headers: Record<string, string> = {
    'Content-Type': event.kind === 'user' ? event.contentType : SYSTEM_CONTENT_TYPE,
    'WebHook-Request-Origin': input.origin,
    'ce-specversion': '1.0',
    'ce-awpsversion': '1.0',
    'ce-type': CE_TYPE_PREFIX[event.kind] + event.name,
    'ce-source': `/hubs/${connection.hub}/client/${connection.connectionId}`,
    'ce-id': input.ceId,
    // docs/protocol/cloud-events.md §3: UTC like 2021-01-01T00:00:00Z.
    'ce-time': input.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'ce-hub': connection.hub,
    'ce-connectionId': connection.connectionId,
    'ce-eventName': event.name,
  };
  if (connection.userId !== null && connection.userId !== '') headers['ce-userId'] = connection.userId;
  if (connection.subprotocol) headers['ce-subprotocol'] = connection.subprotocol;
  if (connection.state !== '') headers['ce-connectionState'] = connection.state;
  // docs/protocol/cloud-events.md §4: one entry per key (primary first) so receivers survive key rotation.
  if (input.keys.length > 0) headers['ce-signature'] = ceSignature(connection.connectionId, input.keys);
  // Every ce-* value the service makes (user id, event name, type, hub…) goes out percent-encoded where the
  // CloudEvents HTTP binding asks for it; ASCII-only values are unchanged. ce-connectionState is the app's
  // own header value echoed back as it was received (it already passed through HTTP), so it is left alone.
  for (const name of Object.keys(headers)) {
    if (name.startsWith('ce-') && name !== 'ce-connectionState') headers[name] = percentEncodeHeaderValue(headers[name]!);
  }
  return headers;
}

/** docs/protocol/cloud-events.md §6: the connect request body. Every map value is an array of strings. */
export function connectEvent(input: {
  claims: Readonly<Record<string, string[]>>;
  query: Readonly<Record<string, string[]>>;
  headers: Readonly<Record<string, string[]>>;
  subprotocols: readonly string[];
}): UpstreamEvent {
  const body = { claims: input.claims, query: input.query, headers: input.headers, subprotocols: input.subprotocols, clientCertificates: [] };
  return { kind: 'system', name: 'connect', body: Buffer.from(JSON.stringify(body), 'utf8') };
}

const EMPTY_OBJECT = Buffer.from('{}');

/** docs/protocol/cloud-events.md §5: `connected` has body `{}` (express JSON.parses it). */
export function connectedEvent(): UpstreamEvent {
  return { kind: 'system', name: 'connected', body: EMPTY_OBJECT };
}

export function disconnectedEvent(reason: string): UpstreamEvent {
  return { kind: 'system', name: 'disconnected', body: Buffer.from(JSON.stringify({ reason }), 'utf8') };
}

/** docs/protocol/cloud-events.md §7.1: the content type follows the data type. */
export function userEvent(name: string, dataType: 'json' | 'text' | 'binary', data: Buffer): UpstreamEvent {
  const contentType = dataType === 'json' ? 'application/json' : dataType === 'text' ? 'text/plain' : 'application/octet-stream';
  return { kind: 'user', name, contentType, body: data };
}
