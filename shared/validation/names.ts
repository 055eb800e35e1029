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
 * User ids we accept from callers: 1..128 characters, no control characters, not whitespace only,
 * no leading or trailing spaces. The service only requires "non-empty"; we are stricter because the
 * id ends up in tokens, logs and messages other users see.
 */
export function isValidUserId(id: unknown): id is string {
  return (
    typeof id === 'string' &&
    id.length >= 1 &&
    id.length <= 128 &&
    // C0/C1 controls, DEL, line/paragraph separators, bidi overrides and BOM.
    !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/.test(id) &&
    id.trim() === id &&
    id.trim().length > 0
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
