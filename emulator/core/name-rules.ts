/**
 * The service's name rules (docs/protocol/auth.md §6, docs/protocol/rest-api.md §1), from the service's
 * side: which hub and group names it accepts. Pure predicates; callers pick the error to raise.
 */

const MAX_HUB_NAME = 128;
const MAX_GROUP_NAME = 1024;

/** A letter, then at most 127 letters, digits or any of `` _`,.[] ``. */
export function isValidHubName(name: string): boolean {
  if (name.length < 1 || name.length > MAX_HUB_NAME || !isAsciiLetter(name.charCodeAt(0))) return false;
  for (let i = 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isAsciiLetter(c) && !isAsciiDigit(c) && !'_`,.[]'.includes(name[i]!)) return false;
  }
  return true;
}

/** Hub names are case-insensitive: the registry keys a hub by this. */
export function hubKey(name: string): string {
  return name.toLowerCase();
}

/** 1 to 1024 characters and not whitespace only; group names are case-sensitive. */
export function isValidGroupName(name: unknown): name is string {
  return typeof name === 'string' && name.length >= 1 && name.length <= MAX_GROUP_NAME && name.trim() !== '';
}

/** C0 controls and DEL: they would break an HTTP header such as `ce-userId`. */
export function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
