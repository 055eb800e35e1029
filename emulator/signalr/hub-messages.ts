/**
 * The SignalR hub protocol's messages (docs/protocol/signalr.md §3), as one tagged union that both
 * wire formats (JSON and MessagePack) encode and decode.
 */

export const MessageType = {
  Invocation: 1,
  StreamItem: 2,
  Completion: 3,
  StreamInvocation: 4,
  CancelInvocation: 5,
  Ping: 6,
  Close: 7,
} as const;

export type Headers = Readonly<Record<string, string>>;

export type HubMessage =
  | { type: 1; invocationId?: string; target: string; arguments: unknown[]; streamIds?: string[]; headers?: Headers }
  | { type: 2; invocationId: string; item: unknown; headers?: Headers }
  | { type: 3; invocationId: string; result?: unknown; error?: string; hasResult?: boolean; headers?: Headers }
  | { type: 4; invocationId: string; target: string; arguments: unknown[]; streamIds?: string[]; headers?: Headers }
  | { type: 5; invocationId: string; headers?: Headers }
  | { type: 6 }
  | { type: 7; error?: string; allowReconnect?: boolean };

export type InvocationMessage = Extract<HubMessage, { type: 1 }>;

/** A malformed frame: the connection is closed with this message as the close error. */
export class HubProtocolError extends Error {
  override readonly name = 'HubProtocolError';
}

/** One of the two hub protocols a client may pick in its handshake. */
export interface HubProtocol {
  readonly name: 'json' | 'messagepack';
  /** Highest version this side speaks; both protocols are at version 1. */
  readonly version: 1;
  /** WebSocket frame kind and whether the transport must carry binary. */
  readonly transferFormat: 'Text' | 'Binary';
  /** Splits a transport payload into messages; throws HubProtocolError on malformed input. */
  parse(data: Uint8Array): HubMessage[];
  /** One framed message (with its separator or length prefix). */
  write(message: HubMessage): Uint8Array;
}

/** Narrows untrusted decoded values into a HubMessage or throws. Shared by both formats. */
export function checkMessage(m: HubMessage): HubMessage {
  const str = (v: unknown, what: string): void => {
    if (typeof v !== 'string') throw new HubProtocolError(`${what} must be a string`);
  };
  switch (m.type) {
    case 1:
    case 4:
      str(m.target, 'target');
      if (!Array.isArray(m.arguments)) throw new HubProtocolError('arguments must be an array');
      if (m.type === 4 || m.invocationId !== undefined) str(m.invocationId, 'invocationId');
      if (m.streamIds !== undefined && (!Array.isArray(m.streamIds) || m.streamIds.some((s) => typeof s !== 'string')))
        throw new HubProtocolError('streamIds must be strings');
      return m;
    case 2:
    case 3:
    case 5:
      str(m.invocationId, 'invocationId');
      if (m.type === 3 && m.error !== undefined && m.error !== null) str(m.error, 'error');
      return m;
    case 6:
    case 7:
      return m;
    default:
      throw new HubProtocolError(`unknown message type ${String((m as { type: unknown }).type)}`);
  }
}
