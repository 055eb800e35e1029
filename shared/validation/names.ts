/**
 * Name rules of the service (docs/protocol/auth.md §6, docs/protocol/rest-api.md §1). Pure predicates; callers decide which
 * typed error to raise, so the same rule serves config (ConfigError) and requests (BadRequestError).
 */

/** `^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$` — hub names behave case-insensitively. */
export const HUB_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;

export function isValidHubName(name: string): boolean {
  return HUB_NAME_PATTERN.test(name);
}

/** Groups: 1..1024 characters, not whitespace only, case-sensitive (docs/protocol/rest-api.md §1). */
export function isValidGroupName(name: unknown): name is string {
  return typeof name === 'string' && name.length >= 1 && name.length <= 1024 && !/^\s+$/.test(name);
}

/**
 * Never part of a user id: controls (C0, C1, DEL), line/paragraph separators, bidirectional controls
 * (they reorder what others see), and invisible characters with no use in a name (soft hyphen, zero
 * width space, word joiner, BOM, Mongolian vowel separator, invisible operators, interlinear
 * annotations). An id like "ali\u200Bce" looks exactly like "alice" in the roster.
 */
const FORBIDDEN_IN_USER_ID = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/;
/**
 * Characters that render as nothing or as blank space. Some are legitimate inside a name (ZWNJ and ZWJ
 * in Persian or emoji sequences, variation selectors, tag characters in flag emoji, combining grapheme joiner), but an id made only
 * of these and whitespace is invisible.
 */
// An alternation, not a character class: joiners and combining marks in a class read as one sequence.
const BLANK = /\s|\u115f|\u1160|\u200c|\u200d|\u2800|\u3164|\uffa0|\u034f|[\ufe00-\ufe0f]|[\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}]/gu;

/**
 * User ids we accept from callers: 1..128 characters, not blank or invisible, no leading or trailing
 * spaces, none of FORBIDDEN_IN_USER_ID, and no `%`. The service only requires "non-empty"; we are
 * stricter because the id ends up in tokens, logs and messages other users see. `%` is refused so an
 * id reads the same whether or not the service percent-encodes `ce-userId` (CloudEvents HTTP binding §3.1.3.2;
 * the event handler decodes it): otherwise "%61lice" could arrive as "alice".
 */
export function isValidUserId(id: unknown): id is string {
  return (
    typeof id === 'string' &&
    id.length >= 1 &&
    id.length <= 128 &&
    !FORBIDDEN_IN_USER_ID.test(id) &&
    !id.includes('%') &&
    id.trim() === id &&
    id.replace(BLANK, '') !== ''
  );
}

/** C0 control characters or DEL: they would split or break an HTTP header such as `ce-userId`. */
export function hasControlCharacters(value: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(value);
}

/** Connection ids are opaque service-issued strings: non-empty, printable, bounded. */
export function isValidConnectionId(id: unknown): id is string {
  return typeof id === 'string' && id.length >= 1 && id.length <= 256 && !hasControlCharacters(id);
}

/** Finds `name` among `names` case-insensitively and returns the configured spelling. */
export function findName(names: readonly string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower);
}

/** A GUID in its usual 8-4-4-4-12 hex form (object ids of Microsoft Entra principals). */
export function isGuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
