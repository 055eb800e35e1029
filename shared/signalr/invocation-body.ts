import { decode } from '@msgpack/msgpack';
import { BadRequestError } from '../http/errors';

/**
 * The body of a `messages` upstream request: the client's invocation in its own hub protocol
 * (docs/protocol/signalr.md §5.2). JSON: one object `{ type: 1, invocationId?, target, arguments }`,
 * with or without the 0x1E record separator. MessagePack: the array
 * `[1, headers, invocationId, target, arguments, streamIds?]`, with or without its varint length prefix.
 */

export interface Invocation {
  readonly invocationId?: string;
  readonly target: string;
  readonly arguments: readonly unknown[];
}

export function parseJsonInvocation(body: Uint8Array): Invocation {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new BadRequestError('the invocation body is not valid UTF-8', 'InvalidInvocation');
  }
  if (text.endsWith('\u001e')) text = text.slice(0, -1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError('the invocation body is not valid JSON', 'InvalidInvocation');
  }
  const o = (value ?? {}) as Record<string, unknown>;
  if (typeof value !== 'object' || Array.isArray(value)) throw new BadRequestError('the invocation body must be a JSON object', 'InvalidInvocation');
  return checkInvocation(o['type'], o['invocationId'], o['target'], o['arguments']);
}

/** Reads a varint length prefix; undefined when the bytes do not start with one that spans exactly the rest. */
function withoutLengthPrefix(body: Uint8Array): Uint8Array | undefined {
  let length = 0;
  for (let i = 0; i < Math.min(5, body.length); i++) {
    length += (body[i]! & 0x7f) * 2 ** (7 * i);
    if ((body[i]! & 0x80) === 0) return length === body.length - i - 1 ? body.subarray(i + 1) : undefined;
  }
  return undefined;
}

export function parseMessagePackInvocation(body: Uint8Array): Invocation {
  const attempts = [withoutLengthPrefix(body), body].filter((b): b is Uint8Array => b !== undefined);
  for (const bytes of attempts) {
    let value: unknown;
    try {
      value = decode(bytes);
    } catch {
      continue;
    }
    if (!Array.isArray(value)) continue;
    return checkInvocation(value[0], value[2] ?? undefined, value[3], value[4]);
  }
  throw new BadRequestError('the invocation body is not a MessagePack invocation message', 'InvalidInvocation');
}

function checkInvocation(type: unknown, invocationId: unknown, target: unknown, args: unknown): Invocation {
  if (type !== 1) throw new BadRequestError('the body is not an invocation message (type 1)', 'InvalidInvocation');
  if (typeof target !== 'string' || target === '') throw new BadRequestError('the invocation has no target', 'InvalidInvocation');
  if (!Array.isArray(args)) throw new BadRequestError('the invocation arguments must be an array', 'InvalidInvocation');
  if (invocationId !== undefined && invocationId !== null && typeof invocationId !== 'string')
    throw new BadRequestError('invocationId must be a string', 'InvalidInvocation');
  return { ...(typeof invocationId === 'string' ? { invocationId } : {}), target, arguments: args };
}
