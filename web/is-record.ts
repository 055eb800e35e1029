/**
 * Whether a parsed message is a JSON object whose fields may be read (not null, not an array). Hubs
 * send plain JSON, so this is all the page checks before it reads `system`, `text` or `userId`. Pure.
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
