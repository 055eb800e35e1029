import { decode, encode } from '@msgpack/msgpack';
import { checkMessage, HubProtocolError, type Headers, type HubMessage, type HubProtocol } from './hub-messages';

/**
 * The MessagePack hub protocol (docs/protocol/signalr.md §3.2): each message is a MessagePack array
 * prefixed by its length as a variable-length integer (7 bits a byte, low bits first, at most 5 bytes).
 * Values go through @msgpack/msgpack; only the framing and the array layout are ours.
 */

const MAX_MESSAGE_BYTES = 2 ** 31 - 1;

/** Splits length-prefixed frames; a frame cut short is an error (transports deliver whole messages). */
export function splitFrames(data: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let offset = 0;
  while (offset < data.length) {
    let length = 0;
    let shift = 0;
    let byte: number;
    let n = 0;
    do {
      if (offset + n >= data.length) throw new HubProtocolError('incomplete length prefix');
      if (n === 5) throw new HubProtocolError('length prefix longer than 5 bytes');
      byte = data[offset + n]!;
      length += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      n++;
    } while (byte & 0x80);
    if (length > MAX_MESSAGE_BYTES) throw new HubProtocolError('message too large');
    const start = offset + n;
    if (start + length > data.length) throw new HubProtocolError('incomplete message');
    frames.push(data.subarray(start, start + length));
    offset = start + length;
  }
  return frames;
}

export function prefixLength(body: Uint8Array): Uint8Array {
  const prefix: number[] = [];
  let length = body.length;
  do {
    let byte = length & 0x7f;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    prefix.push(byte);
  } while (length > 0);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix, 0);
  out.set(body, prefix.length);
  return out;
}

const ERROR_RESULT = 1;
const VOID_RESULT = 2;
const NON_VOID_RESULT = 3;

function headersOf(v: unknown): Headers | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) throw new HubProtocolError('headers must be a map');
  return v as Headers;
}

function nullableString(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : (v as string);
}

/** Decodes one array into a message; trailing fields a newer peer adds are ignored. */
export function fromArray(a: unknown): HubMessage {
  if (!Array.isArray(a) || a.length === 0 || typeof a[0] !== 'number') throw new HubProtocolError('a message must be an array starting with its type');
  const need = (n: number): void => {
    if (a.length < n) throw new HubProtocolError(`message type ${a[0]} needs ${n} fields`);
  };
  switch (a[0]) {
    case 1:
    case 4: {
      need(5);
      const streamIds = a.length > 5 && a[5] !== null ? (a[5] as string[]) : undefined;
      const base = { headers: headersOf(a[1]), target: a[3] as string, arguments: a[4] as unknown[], ...(streamIds ? { streamIds } : {}) };
      const id = nullableString(a[2]);
      return checkMessage(
        a[0] === 1 ? { type: 1, ...(id !== undefined ? { invocationId: id } : {}), ...base } : { type: 4, invocationId: id as string, ...base },
      );
    }
    case 2:
      need(4);
      return checkMessage({ type: 2, headers: headersOf(a[1]), invocationId: a[2] as string, item: a[3] });
    case 3: {
      need(4);
      const kind = a[3];
      const base = { type: 3 as const, headers: headersOf(a[1]), invocationId: a[2] as string };
      if (kind === ERROR_RESULT) return checkMessage({ ...base, error: a[4] as string });
      if (kind === VOID_RESULT) return checkMessage(base);
      if (kind === NON_VOID_RESULT) return checkMessage({ ...base, result: a[4], hasResult: true });
      throw new HubProtocolError(`unknown completion result kind ${String(kind)}`);
    }
    case 5:
      need(3);
      return checkMessage({ type: 5, headers: headersOf(a[1]), invocationId: a[2] as string });
    case 6:
      return { type: 6 };
    case 7: {
      const error = nullableString(a[1]);
      return { type: 7, ...(error !== undefined ? { error } : {}), ...(a.length > 2 && typeof a[2] === 'boolean' ? { allowReconnect: a[2] } : {}) };
    }
    default:
      throw new HubProtocolError(`unknown message type ${String(a[0])}`);
  }
}

export function toArray(m: HubMessage): unknown[] {
  switch (m.type) {
    case 1:
      return [1, m.headers ?? {}, m.invocationId ?? null, m.target, m.arguments, m.streamIds ?? []];
    case 4:
      return [4, m.headers ?? {}, m.invocationId, m.target, m.arguments, m.streamIds ?? []];
    case 2:
      return [2, m.headers ?? {}, m.invocationId, m.item];
    case 3:
      if (m.error !== undefined) return [3, m.headers ?? {}, m.invocationId, ERROR_RESULT, m.error];
      if (m.hasResult) return [3, m.headers ?? {}, m.invocationId, NON_VOID_RESULT, m.result ?? null];
      return [3, m.headers ?? {}, m.invocationId, VOID_RESULT];
    case 5:
      return [5, m.headers ?? {}, m.invocationId];
    case 6:
      return [6];
    case 7:
      return [7, m.error ?? null, m.allowReconnect ?? false];
  }
}

export const messagePackHubProtocol: HubProtocol = {
  name: 'messagepack',
  version: 1,
  transferFormat: 'Binary',
  parse(data) {
    return splitFrames(data).map((frame) => {
      let value: unknown;
      try {
        value = decode(frame);
      } catch {
        throw new HubProtocolError('a message is not valid MessagePack');
      }
      return fromArray(value);
    });
  },
  write(message) {
    return prefixLength(encode(toArray(message)));
  },
};
