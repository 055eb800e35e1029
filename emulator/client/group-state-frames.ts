/**
 * The group-state frames of the JSON subprotocols (docs/protocol/client-sdk-features.md §4). Pure.
 *
 * Source: `@azure/web-pubsub-client` 1.1.0 — dist/esm/models/messages.d.ts (SetGroupStateMessage,
 * SubscribeGroupStateMessage, UnsubscribeGroupStateMessage, GroupStateItem, GroupStateSnapshotMessage,
 * GroupStateUpdateMessage) and dist/esm/protocols/jsonProtocolBase.js (their JSON shapes). The 1.1.0
 * client encodes and decodes these frames but has no public method for them yet.
 */

/** Bounds on one connection's state in one group (emulator choice; the sources give none). */
export const MAX_STATE_KEYS = 64;
export const MAX_STATE_BYTES = 16 * 1024;

export type GroupStateValue = Readonly<Record<string, string>>;

export interface GroupStateItem {
  readonly connectionId: string;
  readonly userId?: string;
  /** Absent when the connection cleared its state (or left the group). */
  readonly state?: GroupStateValue;
  /** Unix epoch milliseconds. */
  readonly updatedAt: number;
}

/** `setGroupState.state`: absent or null clears; otherwise an object of string values within the bounds. */
export function parseGroupState(v: unknown): { state: GroupStateValue | undefined } | { invalid: string } {
  if (v === undefined || v === null) return { state: undefined };
  if (typeof v !== 'object' || Array.isArray(v)) return { invalid: '"state" must be an object of string values' };
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > MAX_STATE_KEYS) return { invalid: `"state" can have at most ${MAX_STATE_KEYS} keys` };
  const state: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of entries) {
    if (key === '') return { invalid: '"state" keys must not be empty' };
    if (typeof value !== 'string') return { invalid: `"state.${key.slice(0, 64)}" must be a string` };
    state[key] = value;
  }
  if (Buffer.byteLength(JSON.stringify(state), 'utf8') > MAX_STATE_BYTES) return { invalid: `"state" must be at most ${MAX_STATE_BYTES} bytes as JSON` };
  return { state: { ...state } };
}

export function encodeGroupStateSnapshot(group: string, items: readonly GroupStateItem[]): string {
  return JSON.stringify({ type: 'groupStateSnapshot', group, items });
}

export function encodeGroupStateUpdate(group: string, items: readonly GroupStateItem[]): string {
  return JSON.stringify({ type: 'groupStateUpdate', group, items });
}
