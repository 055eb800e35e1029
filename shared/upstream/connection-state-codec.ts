/**
 * Connection state travels in `ce-connectionState` as base64(JSON(object)) — the convention of the
 * JS/.NET SDKs (docs/protocol/cloud-events.md §8). Decoding never throws: a bad header yields `{}` and a warning
 * that does not include the value (it may carry user data).
 */
export interface DecodedState {
  readonly states: Record<string, unknown>;
  readonly warning?: string;
}

export function decodeConnectionState(header: string | null | undefined): DecodedState {
  if (header === null || header === undefined || header === '') return { states: {} };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(header)) return { states: {}, warning: 'ce-connectionState is not base64; ignoring it' };
  try {
    const value: unknown = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { states: {}, warning: 'ce-connectionState is not a JSON object; ignoring it' };
    }
    // Copy into a null-prototype object so keys like "__proto__" stay plain data.
    return { states: Object.assign(Object.create(null) as Record<string, unknown>, value) };
  } catch {
    return { states: {}, warning: 'ce-connectionState is not base64-encoded JSON; ignoring it' };
  }
}

/** The whole state object, encoded for the reply header. */
export function encodeConnectionState(states: Readonly<Record<string, unknown>>): string {
  return Buffer.from(JSON.stringify(states), 'utf8').toString('base64');
}
