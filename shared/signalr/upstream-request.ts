import { BadRequestError, UnsupportedMediaTypeError } from '../http/errors';
import { mediaType, type HeaderReader } from '../http/http-headers';
import { parseJsonInvocation, parseMessagePackInvocation, type Invocation } from './invocation-body';

/**
 * An upstream request of SignalR Service in Serverless mode (docs/protocol/signalr.md §5): the
 * X-ASRS-* headers and the body by category: nothing for `connected`, `{ error }` for `disconnected`,
 * an invocation for `messages`. Only for requests already authenticated (the runtime's
 * authenticateUpstream: the signature, or the managed-identity token when keyless).
 */

export interface SignalRConnectionContext {
  readonly hub: string;
  readonly connectionId: string;
  readonly userId?: string;
}

export type SignalREvent =
  | { readonly kind: 'connected'; readonly connection: SignalRConnectionContext }
  | { readonly kind: 'disconnected'; readonly connection: SignalRConnectionContext; readonly error?: string }
  | { readonly kind: 'message'; readonly connection: SignalRConnectionContext; readonly invocation: Invocation; readonly protocol: 'json' | 'messagepack' };

const CONNECTION_ID = /^[\x21-\x7e]{1,256}$/;

export function parseSignalRUpstream(headers: HeaderReader, body: Uint8Array): SignalREvent {
  const hub = headers.get('x-asrs-hub');
  const connectionId = headers.get('x-asrs-connection-id');
  const category = headers.get('x-asrs-category');
  const event = headers.get('x-asrs-event');
  if (!hub || !connectionId || !category || !event)
    throw new BadRequestError(
      'not a SignalR Service upstream request: X-ASRS-Hub, X-ASRS-Connection-Id, X-ASRS-Category and X-ASRS-Event are required',
      'NotSignalRUpstream',
    );
  if (!CONNECTION_ID.test(connectionId)) throw new BadRequestError('X-ASRS-Connection-Id is not a valid connection id', 'NotSignalRUpstream');
  const userId = headers.get('x-asrs-user-id');
  const connection: SignalRConnectionContext = { hub, connectionId, ...(userId ? { userId } : {}) };
  const type = mediaType(headers.get('content-type'));
  if (category === 'connections') {
    if (event === 'connected') return { kind: 'connected', connection };
    if (event === 'disconnected') return { kind: 'disconnected', connection, ...disconnectError(body) };
    throw new BadRequestError(`unknown connections event "${event.slice(0, 64)}"`, 'UnknownEvent');
  }
  if (category !== 'messages')
    throw new BadRequestError(`unknown X-ASRS-Category "${category.slice(0, 64)}" (expected connections or messages)`, 'UnknownCategory');
  if (type === 'application/x-msgpack') return { kind: 'message', connection, invocation: parseMessagePackInvocation(body), protocol: 'messagepack' };
  if (type === 'application/json' || type === '') return { kind: 'message', connection, invocation: parseJsonInvocation(body), protocol: 'json' };
  throw new UnsupportedMediaTypeError(`an invocation must be application/json or application/x-msgpack, not "${type.slice(0, 64)}"`);
}

/** `{ "error": "…" }` or `{ "Error": "…" }`; an empty or unreadable body means a clean close. */
function disconnectError(body: Uint8Array): { error?: string } {
  if (body.length === 0) return {};
  try {
    const o = JSON.parse(new TextDecoder().decode(body).replace(/\u001e$/, '')) as Record<string, unknown>;
    const error = o['error'] ?? o['Error'];
    return typeof error === 'string' && error !== '' ? { error } : {};
  } catch {
    return {};
  }
}
