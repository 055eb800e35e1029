/**
 * Name rules for hubs and groups (docs/protocol/auth.md §6): the same predicates the functions app uses.
 * Hubs are case-insensitive: the registry keys them by `hubKey(name)`. Groups are case-sensitive.
 */
export { hasControlCharacters, isValidGroupName, isValidHubName } from '../shared/validation/names';

/** The registry key of a hub: hub names behave case-insensitively (docs/protocol/auth.md §6). */
export function hubKey(name: string): string {
  return name.toLowerCase();
}
