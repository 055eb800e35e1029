import { createHash } from 'node:crypto';
import { BadRequestError } from '../http/errors';
import type { UserEventRequest } from '../upstream/event-types';
import { isValidGroupName } from '../validation/names';

/** What the chat page or a simple client sends, and what everyone receives. */
export interface ChatMessageIn {
  readonly text: string;
  readonly group?: string;
}

export interface ChatMessageOut {
  readonly from: string;
  readonly text: string;
  readonly group?: string;
  /** ISO 8601 time the server accepted the message. */
  readonly at: string;
}

export const MAX_CHAT_TEXT = 4000;
/** Group every chat connection is put in by the hub, used for the roster; not a chat room. */
export const PRESENCE_GROUP = '__presence';

/**
 * Group of one user's MQTT devices, joined through the connect reply (before the CONNACK): a client id
 * that is an open connection in this group is the user's own to take over. Reserved like the presence group.
 * Named by a SHA-256 of the user id, so any user id (any length, any character) gives a valid group name.
 */
export function deviceOwnerGroup(userId: string): string {
  return `__devices.${createHash('sha256').update(userId, 'utf8').digest('base64url')}`;
}

/**
 * Group names starting with `__` belong to the hub (PRESENCE_GROUP and any later ones): nobody can
 * join, leave or send to them through the chat. Clients have no group roles at all (negotiate grants
 * none by default), so the hub is the only way in or out of a group.
 */
export function isReservedGroup(name: string): boolean {
  return name.startsWith('__');
}

/** A chat room: a valid group name that the hub does not reserve. */
function readRoom(value: unknown): string {
  if (!isValidGroupName(value)) throw new BadRequestError('"group" must be a group name (1..1024 characters, not only spaces)');
  if (isReservedGroup(value)) throw new BadRequestError('"group": names starting with "__" are reserved for the chat itself');
  return value;
}

/**
 * The `join` and `leave` events: `{ "group" }` from JSON clients, or a text frame holding the room name.
 * The hub adds or removes the connection itself, so it can refuse reserved groups.
 */
export function parseRoomRequest(request: UserEventRequest): string {
  if (request.dataType === 'text') return readRoom(request.data);
  if (request.dataType === 'json') {
    const data = request.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new BadRequestError('join and leave take {"group": "..."}');
    return readRoom((data as Record<string, unknown>).group);
  }
  throw new BadRequestError('join and leave take JSON or text, not binary');
}

/**
 * The `message` event: `{ "text", "group"? }` from JSON-subprotocol clients (dataType json), or a
 * plain text frame from simple WebSocket clients (dataType text, the whole frame is the text).
 */
export function parseChatMessage(request: UserEventRequest): ChatMessageIn {
  let text: unknown;
  let group: unknown;
  if (request.dataType === 'text') {
    text = request.data;
  } else if (request.dataType === 'json') {
    const data = request.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new BadRequestError('a chat message is {"text": "...", "group"?: "..."}');
    ({ text, group } = data as Record<string, unknown>);
  } else {
    throw new BadRequestError('chat messages are text or JSON, not binary');
  }
  if (typeof text !== 'string' || text.trim() === '') throw new BadRequestError('"text" must be a non-empty string');
  if (text.length > MAX_CHAT_TEXT) throw new BadRequestError(`"text" may be at most ${MAX_CHAT_TEXT} characters`);
  if (group === undefined || group === null || group === '') return { text };
  return { text, group: readRoom(group) };
}
