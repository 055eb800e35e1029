/**
 * What the chat page shows for each message the `chat` hub sends (functions contract):
 * chat lines `{ from, text, group?, at }`, presence `{ system: 'joined'|'left', userId }`, and a roster
 * `{ system: 'roster', users }` if the hub sends one. Anything else is shown as a plain notice.
 * Pure: no DOM, so it is unit-tested in Node.
 */
export type ChatEntry =
  | { readonly kind: 'message'; readonly from: string; readonly text: string; readonly group?: string; readonly at?: Date }
  | { readonly kind: 'presence'; readonly userId: string; readonly joined: boolean }
  | { readonly kind: 'roster'; readonly users: readonly string[] }
  | { readonly kind: 'notice'; readonly text: string };

/**
 * `data` is the parsed message body; `group` is set for group messages (the SDK's `group-message`);
 * `fromUserId` is the sender of a message a client published to the group itself, such as an MQTT
 * device publishing plain text to a room's topic (MQTT 3.1.1 payloads arrive as binary).
 */
export function toChatEntry(data: unknown, group?: string, fromUserId?: string): ChatEntry {
  if (group && fromUserId) {
    const text = typeof data === 'string' ? data : data instanceof ArrayBuffer ? utf8Text(data) : undefined;
    if (text !== undefined && text.trim() !== '') return { kind: 'message', from: fromUserId, text, group };
  }
  if (typeof data === 'string') return { kind: 'notice', text: data };
  if (data instanceof ArrayBuffer) return { kind: 'notice', text: `(${data.byteLength} bytes of binary data)` };
  if (!isRecord(data)) return { kind: 'notice', text: JSON.stringify(data) ?? String(data) };
  if (data.system === 'joined' || data.system === 'left') {
    if (typeof data.userId === 'string') return { kind: 'presence', userId: data.userId, joined: data.system === 'joined' };
  }
  const users = data.system === 'roster' || data.system === 'online' ? (data.users ?? data.online) : undefined;
  if (Array.isArray(users)) return { kind: 'roster', users: users.filter((u): u is string => typeof u === 'string') };
  if (typeof data.text === 'string') {
    const at = parseTime(data.at);
    const room = typeof data.group === 'string' && data.group !== '' ? data.group : group;
    return {
      kind: 'message',
      // A client-published message names its sender in fromUserId (set by the service): that wins over a claimed `from`.
      from: fromUserId ?? (typeof data.from === 'string' && data.from !== '' ? data.from : 'server'),
      text: data.text,
      ...(room ? { group: room } : {}),
      ...(at ? { at } : {}),
    };
  }
  return { kind: 'notice', text: JSON.stringify(data) };
}

/** The bytes as UTF-8 text, or undefined when they are not UTF-8. */
function utf8Text(data: ArrayBuffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
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

  users(): string[] {
    return [...this.#counts.keys()].sort((a, b) => a.localeCompare(b));
  }
}

/** A room name the service accepts (client-protocols.md §7: 1–1024 chars, not all whitespace). */
export function isValidRoomName(name: string): boolean {
  return name.trim() !== '' && name.length <= 1024;
}

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
