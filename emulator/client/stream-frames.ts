import type { OutboundMessage } from '../core/types';
import { encodePayload } from './invocation-frames';

/**
 * The group-stream frames of the JSON subprotocols (docs/protocol/client-sdk-features.md §3). Pure.
 *
 * Source: `@azure/web-pubsub-client` 1.1.0 — dist/esm/protocols/jsonProtocolBase.js (writeMessage
 * "sendToGroup" with `stream`, "streamData", "streamEnd"; parseMessages "streamAck", "streamNack",
 * "streamClosed", and `stream` on group messages), dist/esm/outboundStreamSession.js (the sender waits
 * for `streamAck` with `expectedSequenceId: 1` before writing) and dist/esm/inboundStreamDispatcher.js
 * (receivers group fragments by group + streamId and finish on `endOfStream`).
 */

export const MAX_STREAM_ID_LENGTH = 256;

/** The `stream` descriptor a receiver sees on each fragment. */
export interface StreamInfo {
  readonly streamId: string;
  readonly streamSequenceId: number;
  readonly endOfStream?: boolean;
  readonly error?: StreamError;
}

export interface StreamError {
  readonly name: string;
  readonly message?: string;
  readonly userErrorCode?: string;
}

export function isStreamId(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= MAX_STREAM_ID_LENGTH;
}

/** `stream.idleTimeoutMs` of a stream-start frame: absent, or a positive whole number of milliseconds. */
export function isIdleTimeout(v: unknown): v is number | undefined {
  return v === undefined || (typeof v === 'number' && Number.isInteger(v) && v > 0);
}

/** The sender's `streamEnd.error`: only `message` and `userErrorCode`; the service names the error. */
export function parseEndError(v: unknown): { message?: string; userErrorCode?: string } | undefined | 'invalid' {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return 'invalid';
  const e = v as Record<string, unknown>;
  if (e.message !== undefined && typeof e.message !== 'string') return 'invalid';
  if (e.userErrorCode !== undefined && typeof e.userErrorCode !== 'string') return 'invalid';
  return {
    ...(e.message !== undefined ? { message: (e.message as string).slice(0, 1024) } : {}),
    ...(e.userErrorCode !== undefined ? { userErrorCode: (e.userErrorCode as string).slice(0, 128) } : {}),
  };
}

export function encodeStreamAck(streamId: string, expectedSequenceId: number): string {
  return `{"type":"streamAck","streamId":${JSON.stringify(streamId)},"expectedSequenceId":${expectedSequenceId}}`;
}

export function encodeStreamNack(streamId: string, expectedSequenceId: number, name: string, message: string): string {
  return JSON.stringify({ type: 'streamNack', streamId, name, message, expectedSequenceId });
}

export function encodeStreamClosed(streamId: string, error?: { name: string; message?: string }): string {
  return JSON.stringify(error ? { type: 'streamClosed', streamId, error } : { type: 'streamClosed', streamId });
}

/**
 * A fragment (or the end marker) as a group message. The end marker carries `dataType: "text"` and
 * `data: ""`: the 1.1.0 client drops a data message whose `dataType` it cannot parse (parsePayload
 * returns null), and does not hand an empty text payload to the reader (_hasStreamPayload).
 */
export function encodeStreamGroupMessage(group: string, fromUserId: string | null, info: StreamInfo, message?: OutboundMessage): string {
  let head = `{"type":"message","from":"group","group":${JSON.stringify(group)}`;
  if (fromUserId) head += `,"fromUserId":${JSON.stringify(fromUserId)}`;
  const payload = message ? encodePayload(message) : '"dataType":"text","data":""';
  return `${head},${payload},"stream":${JSON.stringify(info)}}`;
}
