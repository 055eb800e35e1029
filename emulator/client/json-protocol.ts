import type { DataType, OutboundMessage } from '../core/types';
import { isStrictBase64 } from '../core/strict-base64';
import { isInvocationId } from './invocation-frames';
import { type GroupStateValue, parseGroupState } from './group-state-frames';
import { isIdleTimeout, isStreamId, parseEndError } from './stream-frames';

/**
 * The JSON subprotocols' frames (docs/protocol/client-protocols.md §3): parsing client → service messages and
 * encoding service → client frames. Pure.
 */

export type ClientMessage =
  | { readonly type: 'joinGroup' | 'leaveGroup'; readonly group: string; readonly ackId?: number }
  | { readonly type: 'sendToGroup'; readonly group: string; readonly message: OutboundMessage; readonly noEcho: boolean; readonly ackId?: number }
  | { readonly type: 'event'; readonly event: string; readonly message: OutboundMessage; readonly ackId?: number }
  | { readonly type: 'sequenceAck'; readonly sequenceId: number }
  | { readonly type: 'ping' }
  /** docs/protocol/client-sdk-features.md §2. `message` is absent when the frame carries no data. */
  | { readonly type: 'invoke'; readonly invocationId: string; readonly event: string; readonly message?: OutboundMessage }
  /** An `invoke` with a usable id but a bad body: answered with a failed invokeResponse, the connection stays. */
  | { readonly type: 'invokeInvalid'; readonly invocationId: string; readonly reason: string }
  | { readonly type: 'cancelInvocation'; readonly invocationId: string }
  /** docs/protocol/client-sdk-features.md §3: a `sendToGroup` carrying `stream` and no data opens a stream. */
  | {
      readonly type: 'streamStart';
      readonly group: string;
      readonly streamId: string;
      readonly idleTimeoutMs?: number;
      readonly noEcho: boolean;
      readonly ackId?: number;
    }
  /** docs/protocol/client-sdk-features.md §3: without `streamSequenceId` and data it is a keep-alive. */
  | { readonly type: 'streamData'; readonly streamId: string; readonly sequenceId?: number; readonly message?: OutboundMessage }
  | { readonly type: 'streamEnd'; readonly streamId: string; readonly error?: { readonly message?: string; readonly userErrorCode?: string } }
  /** A stream frame with a usable id but a bad body: the stream is closed with `BadRequest`. */
  | { readonly type: 'streamInvalid'; readonly streamId: string; readonly reason: string }
  /** docs/protocol/client-sdk-features.md §4. `state` undefined clears the connection's state in the group. */
  | { readonly type: 'setGroupState'; readonly group: string; readonly state: GroupStateValue | undefined; readonly ackId?: number }
  | { readonly type: 'subscribeGroupState' | 'unsubscribeGroupState'; readonly group: string; readonly ackId?: number }
  /** Unknown `type`s without an ackId: ignored (unknown fields are ignored too). */
  | { readonly type: 'ignored' };

/**
 * A message that cannot be processed. With an `ackId` the session answers an ack error `BadRequest`
 * and keeps the connection; without one it closes with 1007 (docs/protocol/client-protocols.md §3 [emulator]).
 */
export interface InvalidMessage {
  readonly invalid: string;
  readonly ackId?: number;
}

export function parseClientMessage(text: string): ClientMessage | InvalidMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { invalid: 'the frame is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { invalid: 'a message must be a JSON object' };
  const m = value as Record<string, unknown>;
  if (typeof m.type !== 'string') return { invalid: 'the message has no "type"' };
  if (m.ackId !== undefined && !isUint(m.ackId)) return { invalid: '"ackId" must be an unsigned integer' };
  const ackId = m.ackId as number | undefined;
  const withAck = <T extends object>(o: T) => (ackId === undefined ? o : { ...o, ackId });
  const invalid = (why: string): InvalidMessage => withAck({ invalid: why });

  switch (m.type) {
    case 'joinGroup':
    case 'leaveGroup':
      if (!isGroup(m.group)) return invalid('"group" must be a group name of 1 to 1024 characters, not only whitespace');
      return withAck({ type: m.type, group: m.group });
    case 'sendToGroup': {
      if (!isGroup(m.group)) return invalid('"group" must be a group name of 1 to 1024 characters, not only whitespace');
      if (m.noEcho !== undefined && typeof m.noEcho !== 'boolean') return invalid('"noEcho" must be a boolean');
      if (m.stream !== undefined) return parseStreamStart(m, m.group, withAck, invalid);
      const message = decodeData(m.dataType, m.data);
      if ('invalid' in message) return invalid(message.invalid);
      return withAck({ type: 'sendToGroup', group: m.group, message, noEcho: m.noEcho === true });
    }
    case 'event': {
      if (typeof m.event !== 'string' || m.event === '') return invalid('"event" must be a non-empty string');
      const message = decodeData(m.dataType, m.data);
      if ('invalid' in message) return invalid(message.invalid);
      return withAck({ type: 'event', event: m.event, message });
    }
    case 'sequenceAck':
      if (!isUint(m.sequenceId)) return { invalid: '"sequenceId" must be an unsigned integer' };
      return { type: 'sequenceAck', sequenceId: m.sequenceId };
    case 'ping':
      return { type: 'ping' };
    case 'invoke': {
      if (!isInvocationId(m.invocationId)) return { invalid: '"invocationId" must be a string of 1 to 256 characters' };
      const invocationId = m.invocationId;
      const bad = (reason: string): ClientMessage => ({ type: 'invokeInvalid', invocationId, reason });
      // The 1.1.0 client only knows target "event" (messages.d.ts InvokeMessage.target); absent means the same.
      // String() of a parsed object can throw (`{"toString":1}`): only strings are echoed.
      if (m.target !== undefined && m.target !== 'event')
        return bad(
          `invocation target ${typeof m.target === 'string' ? `"${m.target.slice(0, 64)}"` : `of type ${typeof m.target}`} is not supported; use "event"`,
        );
      if (typeof m.event !== 'string' || m.event === '') return bad('"event" must be a non-empty string');
      if (m.dataType === undefined && m.data === undefined) return { type: 'invoke', invocationId, event: m.event };
      const message = decodeData(m.dataType, m.data);
      if ('invalid' in message) return bad(message.invalid);
      return { type: 'invoke', invocationId, event: m.event, message };
    }
    case 'cancelInvocation':
      if (!isInvocationId(m.invocationId)) return { invalid: '"invocationId" must be a string of 1 to 256 characters' };
      return { type: 'cancelInvocation', invocationId: m.invocationId };
    case 'streamData': {
      if (!isStreamId(m.streamId)) return { invalid: '"streamId" must be a string of 1 to 256 characters' };
      const streamId = m.streamId;
      if (m.streamSequenceId === undefined && m.data === undefined && m.dataType === undefined) return { type: 'streamData', streamId };
      if (!isUint(m.streamSequenceId) || m.streamSequenceId < 1)
        return { type: 'streamInvalid', streamId, reason: '"streamSequenceId" must be a whole number from 1' };
      const message = decodeData(m.dataType, m.data);
      if ('invalid' in message) return { type: 'streamInvalid', streamId, reason: message.invalid };
      return { type: 'streamData', streamId, sequenceId: m.streamSequenceId, message };
    }
    case 'streamEnd': {
      if (!isStreamId(m.streamId)) return { invalid: '"streamId" must be a string of 1 to 256 characters' };
      const error = parseEndError(m.error);
      if (error === 'invalid')
        return { type: 'streamInvalid', streamId: m.streamId, reason: '"error" must be an object with string "message" and "userErrorCode"' };
      return error === undefined ? { type: 'streamEnd', streamId: m.streamId } : { type: 'streamEnd', streamId: m.streamId, error };
    }
    case 'setGroupState': {
      if (!isGroup(m.group)) return invalid('"group" must be a group name of 1 to 1024 characters, not only whitespace');
      const parsed = parseGroupState(m.state);
      if ('invalid' in parsed) return invalid(parsed.invalid);
      return withAck({ type: 'setGroupState', group: m.group, state: parsed.state });
    }
    case 'subscribeGroupState':
    case 'unsubscribeGroupState':
      if (!isGroup(m.group)) return invalid('"group" must be a group name of 1 to 1024 characters, not only whitespace');
      return withAck({ type: m.type, group: m.group });
    default:
      // Unknown types are ignored, but a request carrying an ackId still gets exactly one ack (docs/protocol/client-protocols.md §3.1).
      return ackId === undefined ? { type: 'ignored' } : { invalid: `unknown message type "${m.type}"`, ackId };
  }
}

/** A `sendToGroup` with `stream` (docs/protocol/client-sdk-features.md §3): opens a stream; carries no data. */
function parseStreamStart(
  m: Record<string, unknown>,
  group: string,
  withAck: <T extends object>(o: T) => T & { ackId?: number },
  invalid: (why: string) => InvalidMessage,
): ClientMessage | InvalidMessage {
  const stream = m.stream;
  if (typeof stream !== 'object' || stream === null || Array.isArray(stream)) return invalid('"stream" must be an object with a "streamId"');
  const { streamId, idleTimeoutMs } = stream as Record<string, unknown>;
  if (!isStreamId(streamId)) return invalid('"stream.streamId" must be a string of 1 to 256 characters');
  if (!isIdleTimeout(idleTimeoutMs)) return invalid('"stream.idleTimeoutMs" must be a positive whole number of milliseconds');
  // The 1.1.0 client opens a stream with a frame without payload (jsonProtocolBase.js writeMessage "sendToGroup").
  if (m.data !== undefined || m.dataType !== undefined) return invalid('a stream-opening "sendToGroup" carries no "data"; send fragments with "streamData"');
  return withAck({ type: 'streamStart' as const, group, streamId, noEcho: m.noEcho === true, ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}) });
}

/** docs/protocol/client-protocols.md §3.3: `data` + `dataType` → the bytes they represent. */
export function decodeData(dataType: unknown, data: unknown): OutboundMessage | { invalid: string } {
  const type = dataType ?? 'json';
  switch (type) {
    case 'json': {
      if (data === undefined) return { invalid: '"data" is required' };
      // JSON.parse accepts nesting that JSON.stringify cannot walk back (stack overflow): refuse it here,
      // as an invalid message (1007 or an ack error), rather than failing the connection with 1011.
      let text: string;
      try {
        text = JSON.stringify(data);
      } catch {
        return { invalid: '"data" is nested too deeply' };
      }
      return { dataType: 'json', data: Buffer.from(text, 'utf8') };
    }
    case 'text':
      if (typeof data !== 'string') return { invalid: '"data" must be a string when dataType is "text"' };
      return { dataType: 'text', data: Buffer.from(data, 'utf8') };
    case 'binary':
      if (typeof data !== 'string' || !isStrictBase64(data)) return { invalid: '"data" must be standard base64 when dataType is "binary"' };
      return { dataType: 'binary', data: Buffer.from(data, 'base64') };
    case 'protobuf':
      return { invalid: 'dataType "protobuf" is not supported by this emulator' };
    default:
      return { invalid: '"dataType" must be "json", "text" or "binary"' };
  }
}

export type AckErrorName = 'Forbidden' | 'InternalServerError' | 'Duplicate' | 'BadRequest';

export function encodeAck(ackId: number, error?: { name: AckErrorName; message: string }): string {
  return error ? `{"type":"ack","ackId":${ackId},"success":false,"error":${JSON.stringify(error)}}` : `{"type":"ack","ackId":${ackId},"success":true}`;
}

/** docs/protocol/client-protocols.md §3.2: `userId` is null for a connection without one (as the service does). */
export function encodeConnected(connectionId: string, userId: string | null, reconnectionToken?: string): string {
  return JSON.stringify({ type: 'system', event: 'connected', userId, connectionId, ...(reconnectionToken ? { reconnectionToken } : {}) });
}

export function encodeDisconnected(reason: string): string {
  return JSON.stringify({ type: 'system', event: 'disconnected', message: reason });
}

export const PONG = '{"type":"pong"}';

/** Where a data message comes from (docs/protocol/client-protocols.md §3.2). */
export type MessageSource = { readonly from: 'server' } | { readonly from: 'group'; readonly group: string; readonly fromUserId?: string | null };

/**
 * The `type: "message"` envelope without `sequenceId`; encoded once per message for all JSON receivers.
 * JSON data is inserted as sent (it is validated once); data that is not valid JSON is delivered as text.
 */
export function encodeMessageEnvelope(source: MessageSource, message: OutboundMessage): string {
  let head = '{"type":"message","from":"server"';
  if (source.from === 'group') {
    head = `{"type":"message","from":"group","group":${JSON.stringify(source.group)}`;
    if (source.fromUserId) head += `,"fromUserId":${JSON.stringify(source.fromUserId)}`;
  }
  return `${head},${encodeDataFields(message.dataType, message.data)}}`;
}

function encodeDataFields(dataType: DataType, data: Buffer): string {
  if (dataType === 'binary') return `"dataType":"binary","data":"${data.toString('base64')}"`;
  const text = data.toString('utf8');
  if (dataType === 'json' && isJson(text)) return `"dataType":"json","data":${text}`;
  return `"dataType":"text","data":${JSON.stringify(text)}`;
}

/** docs/protocol/client-protocols.md §4.1: reliable receivers get `sequenceId` first, on `type: "message"` frames only. */
export function withSequenceId(envelope: string, sequenceId: number): string {
  return `{"sequenceId":${sequenceId},${envelope.slice(1)}`;
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

function isUint(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isGroup(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= 1024 && v.trim() !== '';
}
