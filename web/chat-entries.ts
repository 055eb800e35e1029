import { isRecord } from './is-record';

/**
 * What the chat page shows for each message the `chat` hub sends (functions contract):
 * chat lines `{ from, text, group?, at }`, presence deltas `{ system: 'joined'|'left', userId }`, and a
 * roster snapshot `{ system: 'roster', users, continued? }` (frames marked `continued` extend the one
 * before). Anything else is shown as a plain notice.
 *
 * Only the server speaks for others. A message another client sent straight to a group carries the
 * service-stamped `fromUserId`: it is shown as that user's, whatever its `from` claims, and its
 * `system` field is ignored, so no client can forge a line, a join or a roster.
 * Pure: no DOM, so it is unit-tested in Node.
 */
export type ChatEntry =
  | { readonly kind: 'message'; readonly from: string; readonly text: string; readonly group?: string; readonly at?: Date }
  | { readonly kind: 'presence'; readonly userId: string; readonly joined: boolean }
  | { readonly kind: 'roster'; readonly users: readonly string[]; readonly continued?: true }
  | { readonly kind: 'notice'; readonly text: string };

/**
 * `data` is the parsed message body; `group` is set for group messages (the SDK's `group-message`), and
 * `fromUserId` when a client (not the server) sent it (the SDK's `message.fromUserId`).
 */
export function toChatEntry(data: unknown, group?: string, fromUserId?: string): ChatEntry {
  const sender = typeof fromUserId === 'string' && fromUserId !== '' ? fromUserId : undefined;
  if (sender !== undefined) return fromClient(data, sender, group);
  if (typeof data === 'string') return { kind: 'notice', text: data };
  if (data instanceof ArrayBuffer) return { kind: 'notice', text: `(${data.byteLength} bytes of binary data)` };
  if (!isRecord(data)) return { kind: 'notice', text: JSON.stringify(data) ?? String(data) };
  if (data.system === 'joined' || data.system === 'left') {
    if (typeof data.userId === 'string') return { kind: 'presence', userId: data.userId, joined: data.system === 'joined' };
  }
  const users = data.system === 'roster' || data.system === 'online' ? (data.users ?? data.online) : undefined;
  if (Array.isArray(users)) {
    const list = users.filter((u): u is string => typeof u === 'string');
    return data.continued === true ? { kind: 'roster', users: list, continued: true } : { kind: 'roster', users: list };
  }
  if (typeof data.text === 'string') {
    const at = parseTime(data.at);
    const room = typeof data.group === 'string' && data.group !== '' ? data.group : group;
    return {
      kind: 'message',
      from: typeof data.from === 'string' && data.from !== '' ? data.from : 'server',
      text: data.text,
      ...(room ? { group: room } : {}),
      ...(at ? { at } : {}),
    };
  }
  return { kind: 'notice', text: JSON.stringify(data) };
}

/** A message a client sent to a group itself: always a line from `sender`, never presence. */
function fromClient(data: unknown, sender: string, group: string | undefined): ChatEntry {
  const text =
    typeof data === 'string'
      ? data
      : data instanceof ArrayBuffer
        ? (utf8Line(data) ?? `(${data.byteLength} bytes of binary data)`)
        : isRecord(data) && typeof data.text === 'string'
          ? data.text
          : (JSON.stringify(data) ?? String(data));
  return { kind: 'message', from: sender, text: clip(text), ...(group ? { group } : {}) };
}

/**
 * The hub's limit on a chat line (shared/chat/message.ts). Messages through the hub never exceed it,
 * but an MQTT device publishes to its room directly, up to the service's 1 MB: the page shows the
 * first part only.
 */
export const MAX_SHOWN_TEXT = 4000;

function clip(text: string): string {
  return text.length > MAX_SHOWN_TEXT ? `${text.slice(0, MAX_SHOWN_TEXT)}…` : text;
}

/** The bytes as a line of UTF-8 text (an MQTT 3.1.1 device's payload is binary); undefined when not UTF-8 or blank. */
function utf8Line(data: ArrayBuffer): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    // Blank text or control characters (NUL bytes…) are data, not a chat line.
    return text.trim() === '' || /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Who is online, counted per connection: the same name in two tabs leaves once both have left. */
export class Presence {
  #counts = new Map<string, number>();

  join(userId: string): void {
    this.#counts.set(userId, (this.#counts.get(userId) ?? 0) + 1);
  }

  leave(userId: string): void {
    const n = (this.#counts.get(userId) ?? 0) - 1;
    if (n > 0) this.#counts.set(userId, n);
    else this.#counts.delete(userId);
  }

  /** A roster from the hub replaces what the announcements built up. */
  reset(users: readonly string[]): void {
    this.#counts = new Map(users.map((u) => [u, 1]));
  }

  /** The rest of a roster that came in several frames. */
  add(users: readonly string[]): void {
    for (const u of users) if (!this.#counts.has(u)) this.#counts.set(u, 1);
  }

  users(): string[] {
    return [...this.#counts.keys()].sort((a, b) => a.localeCompare(b));
  }
}

/** A room name the service accepts (docs/protocol/client-protocols.md §7: 1–1024 chars, not all whitespace). */
export function isValidRoomName(name: string): boolean {
  return name.trim() !== '' && name.length <= 1024;
}

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
