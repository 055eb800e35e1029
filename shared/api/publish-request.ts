import { BadRequestError, PayloadTooLargeError } from '../http/errors';
import { isStrictBase64 } from '../validation/base64';
import type { DataType } from '../hub/hub-service';
import { findName, isValidConnectionId, isValidGroupName } from '../validation/names';

/**
 * Validation of the publish body (pure):
 * `{ "hub"?, "group"? | "user"? | "connectionId"?, "data", "dataType"?: "json"|"text"|"binary", "excluded"?: [ids] }`.
 * Everything wrong is a BadRequestError naming the field; an oversized raw body is a PayloadTooLargeError.
 */

/** Web PubSub's message size limit, applied to the decoded payload. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Raw body limit: base64 of 1 MB plus JSON framing. */
export const MAX_PUBLISH_BODY_BYTES = 1.5 * 1024 * 1024;
export const MAX_EXCLUDED = 100;
/** JSON nesting limit of the body: deeper data would overflow the stack of every recursive serializer downstream. */
export const MAX_JSON_DEPTH = 128;

export type PublishTarget =
  { kind: 'all' } | { kind: 'group'; group: string } | { kind: 'user'; userId: string } | { kind: 'connection'; connectionId: string };

export type PublishMessage = { dataType: 'json'; data: unknown } | { dataType: 'text'; data: string } | { dataType: 'binary'; data: Uint8Array };

export interface PublishRequest {
  /** As configured (case preserved). */
  readonly hub: string;
  readonly target: PublishTarget;
  readonly message: PublishMessage;
  readonly excluded: readonly string[];
}

const FIELDS = new Set(['hub', 'group', 'user', 'connectionId', 'data', 'dataType', 'excluded']);

export function parsePublishRequest(body: Uint8Array | string, hubs: readonly string[]): PublishRequest {
  const size = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  if (size > MAX_PUBLISH_BODY_BYTES) throw new PayloadTooLargeError(`request body is ${size} bytes; the limit is ${MAX_PUBLISH_BODY_BYTES}`);
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new BadRequestError(`request body is nested more than ${MAX_JSON_DEPTH} levels deep`, 'InvalidJson');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadRequestError('request body is not valid JSON', 'InvalidJson');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new BadRequestError('request body must be a JSON object', 'InvalidJson');
  const input = json as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) throw new BadRequestError(`unknown field(s): ${unknown.map((k) => JSON.stringify(k.slice(0, 50))).join(', ')}`);

  const hub = readHub(input.hub, hubs);
  const target = readTarget(input);
  const message = readMessage(input);
  const excluded = readExcluded(input.excluded);
  if (excluded.length > 0 && target.kind === 'connection') throw new BadRequestError('"excluded" cannot be combined with "connectionId"');
  return { hub, target, message, excluded };
}

function readHub(value: unknown, hubs: readonly string[]): string {
  if (value === undefined) return hubs[0]!;
  if (typeof value !== 'string') throw new BadRequestError('"hub" must be a string');
  const hub = findName(hubs, value);
  if (hub === undefined) throw new BadRequestError(`"hub": "${value.slice(0, 128)}" is not a configured hub (${hubs.join(', ')})`, 'UnknownHub');
  return hub;
}

function readTarget(input: Record<string, unknown>): PublishTarget {
  const given = (['group', 'user', 'connectionId'] as const).filter((k) => input[k] !== undefined);
  if (given.length > 1) throw new BadRequestError(`give at most one target; got ${given.map((k) => `"${k}"`).join(' and ')}`);
  const { group, user, connectionId } = input;
  if (group !== undefined) {
    if (!isValidGroupName(group)) throw new BadRequestError('"group" must be a group name (1..1024 characters, not only spaces)');
    return { kind: 'group', group };
  }
  if (user !== undefined) {
    if (typeof user !== 'string' || user.length === 0 || user.length > 1024) throw new BadRequestError('"user" must be a non-empty user id');
    return { kind: 'user', userId: user };
  }
  if (connectionId !== undefined) {
    if (!isValidConnectionId(connectionId)) throw new BadRequestError('"connectionId" must be a non-empty connection id');
    return { kind: 'connection', connectionId };
  }
  return { kind: 'all' };
}

function readMessage(input: Record<string, unknown>): PublishMessage {
  if (!('data' in input) || input.data === undefined) throw new BadRequestError('"data" is required');
  const dataType = input.dataType ?? 'json';
  if (dataType !== 'json' && dataType !== 'text' && dataType !== 'binary') throw new BadRequestError('"dataType" must be "json", "text" or "binary"');
  const data = input.data;
  let message: PublishMessage;
  let bytes: number;
  switch (dataType as DataType) {
    case 'text':
      if (typeof data !== 'string') throw new BadRequestError('"data" must be a string when "dataType" is "text"');
      message = { dataType: 'text', data };
      bytes = Buffer.byteLength(data, 'utf8');
      break;
    case 'binary':
      if (typeof data !== 'string' || !isStrictBase64(data)) throw new BadRequestError('"data" must be a base64 string when "dataType" is "binary"');
      message = { dataType: 'binary', data: new Uint8Array(Buffer.from(data, 'base64')) };
      bytes = message.data.byteLength;
      break;
    default:
      message = { dataType: 'json', data };
      bytes = Buffer.byteLength(JSON.stringify(data), 'utf8');
  }
  if (bytes > MAX_MESSAGE_BYTES) throw new BadRequestError(`"data" is ${bytes} bytes; a message may be at most ${MAX_MESSAGE_BYTES} bytes`, 'MessageTooLarge');
  return message;
}

function readExcluded(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isValidConnectionId)) throw new BadRequestError('"excluded" must be an array of connection ids');
  if (value.length > MAX_EXCLUDED) throw new BadRequestError(`"excluded" may list at most ${MAX_EXCLUDED} connection ids`);
  return [...new Set(value as string[])];
}

/** The deepest nesting of `[`/`{` outside strings, by one iterative scan (no recursion, no parse). */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
