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
/** Group every chat connection joins, used for the roster; not a chat room. */
export const PRESENCE_GROUP = '__presence';

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
  if (!isValidGroupName(group) || group === PRESENCE_GROUP) throw new BadRequestError('"group" must be a group name (1..1024 characters)');
  return { text, group };
}
