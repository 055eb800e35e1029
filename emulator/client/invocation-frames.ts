import type { OutboundMessage } from '../core/types';

/**
 * The invocation frames of the JSON subprotocols (docs/protocol/client-sdk-features.md §2): `invoke` and
 * `cancelInvocation` from the client, `invokeResponse` from the service. Pure.
 *
 * Source: `@azure/web-pubsub-client` 1.1.0, dist/esm/protocols/jsonProtocolBase.js (writeMessage "invoke",
 * "cancelInvocation"; parseMessages "invokeResponse") and dist/esm/webPubSubClient.js (_mapInvokeResponse).
 */

/** Bounds an id the service echoes back and keeps as a map key. */
export const MAX_INVOCATION_ID_LENGTH = 256;

export type InvocationErrorName = 'BadRequest' | 'InternalServerError' | 'Timeout' | 'Cancelled' | 'TooManyRequests';

export interface InvokeResponse {
  readonly invocationId: string;
  /** Absent for a failure. A success without a message carries no `dataType`/`data` (empty reply, 204). */
  readonly result?: { readonly message?: OutboundMessage };
  readonly error?: { readonly name: InvocationErrorName; readonly message: string };
}

export function isInvocationId(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= MAX_INVOCATION_ID_LENGTH;
}

/**
 * One `invokeResponse` frame. The client (jsonProtocolBase.js) parses `data` by `dataType` exactly like a
 * data message; `success: true` resolves `invokeEvent`, `success: false` rejects it with an
 * `InvocationError` whose `errorDetail` is `error`.
 */
export function encodeInvokeResponse(r: InvokeResponse): string {
  const head = `{"type":"invokeResponse","invocationId":${JSON.stringify(r.invocationId)}`;
  if (r.error) return `${head},"success":false,"error":${JSON.stringify(r.error)}}`;
  const message = r.result?.message;
  if (!message) return `${head},"success":true}`;
  return `${head},"success":true,${encodePayload(message)}}`;
}

/** `dataType` + `data` as the data messages carry them (docs/protocol/client-protocols.md §3.3). */
export function encodePayload(message: OutboundMessage): string {
  if (message.dataType === 'binary') return `"dataType":"binary","data":"${message.data.toString('base64')}"`;
  const text = message.data.toString('utf8');
  if (message.dataType === 'json' && isJson(text)) return `"dataType":"json","data":${text}`;
  // A reply labelled JSON that is not JSON is delivered as text rather than breaking the client's parser.
  return `"dataType":"text","data":${JSON.stringify(text)}`;
}

function isJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
