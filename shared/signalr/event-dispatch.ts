import { encode } from '@msgpack/msgpack';
import { NotFoundError } from '../http/errors';
import { findTarget, type SignalRHubDefinition } from './hub-definition';
import type { SignalRService } from './rest-client';
import type { SignalREvent } from './upstream-request';

/**
 * Runs a parsed upstream event on its hub's code. For an `invoke` (an invocation with an id) whose
 * handler returns a value, the reply body is a completion message in the client's protocol, which
 * the service hands back to the caller (docs/protocol/signalr.md §5.3).
 */

export interface SignalRReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

export function completionBody(invocationId: string, result: unknown, protocol: 'json' | 'messagepack'): { contentType: string; body: Uint8Array } {
  if (protocol === 'json')
    return { contentType: 'application/json', body: new TextEncoder().encode(JSON.stringify({ type: 3, invocationId, result: result ?? null })) };
  const message = encode([3, {}, invocationId, 3, result ?? null]);
  const prefix: number[] = [];
  let n = message.length;
  do {
    prefix.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  const body = new Uint8Array(prefix.length + message.length);
  body.set(prefix, 0);
  body.set(message, prefix.length);
  return { contentType: 'application/x-msgpack', body };
}

export async function dispatchSignalREvent(event: SignalREvent, hub: SignalRHubDefinition, service: SignalRService): Promise<SignalRReply> {
  const ctx = { connection: event.connection, service };
  switch (event.kind) {
    case 'connected':
      await hub.onConnected?.(ctx);
      return { status: 200 };
    case 'disconnected':
      await hub.onDisconnected?.(ctx, event.error);
      return { status: 200 };
    case 'message': {
      const handler = findTarget(hub, event.invocation.target);
      if (!handler) throw new NotFoundError(`hub "${hub.name}" has no method "${event.invocation.target.slice(0, 128)}"`, 'UnknownTarget');
      const result = await handler(ctx, event.invocation.arguments);
      if (event.invocation.invocationId === undefined || result === undefined) return { status: 200 };
      const { contentType, body } = completionBody(event.invocation.invocationId, result, event.protocol);
      return { status: 200, headers: { 'Content-Type': contentType }, body };
    }
  }
}
