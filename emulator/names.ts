/**
 * Name rules for hubs and groups (auth.md §6).
 * Hubs are case-insensitive: the registry keys them by `hubKey(name)`. Groups are case-sensitive.
 */

const HUB_NAME = /^[A-Za-z][A-Za-z0-9_`,.[\]]{0,127}$/;

export function isValidHubName(name: string): boolean {
  return HUB_NAME.test(name);
}

/** The registry key of a hub: hub names behave case-insensitively (auth.md §6). */
export function hubKey(name: string): string {
  return name.toLowerCase();
}

/** auth.md §6: 1..1024 characters, not whitespace only. */
export function isValidGroupName(name: unknown): name is string {
  return typeof name === 'string' && name.length >= 1 && name.length <= 1024 && name.trim() !== '';
}
