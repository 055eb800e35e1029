import type { Permission } from '../core/types';
import { hasControlCharacters, isValidGroupName, isValidHubName } from '../core/name-rules';
import { InvalidParameterError } from './request-errors';

/**
 * Validation of individual path and query parameters (docs/protocol/rest-api.md §1 and §2, docs/protocol/auth.md §6).
 * Each function returns the typed value or throws InvalidParameterError naming the parameter.
 */

export function parseHub(value: string): string {
  if (!isValidHubName(value)) {
    throw new InvalidParameterError(
      'hub',
      `Hub name '${clip(value)}' is invalid: it must start with a letter and contain at most 128 letters, digits or _\`,.[] characters.`,
    );
  }
  return value;
}

/** The service's message for any group name it refuses (recorded live in Azure/azure-sdk-assets). */
export const INVALID_GROUP_NAME = 'Invalid group name. Valid group name should be in between 1 and 1024 characters long.';

export function parseGroup(value: string, target = 'group'): string {
  if (!isValidGroupName(value)) throw new InvalidParameterError(target, INVALID_GROUP_NAME);
  return value;
}

export function parseNonEmpty(value: string | null, target: string): string {
  if (value === null || value === '') throw new InvalidParameterError(target, `${target} must be a non-empty string.`);
  return value;
}

/**
 * A user id that ends up in a client token and then in the upstream ce-userId header (docs/protocol/cloud-events.md §3):
 * non-empty and without control characters, which would split or break that header.
 */
export function parseTokenUserId(value: string, target = 'userId'): string {
  const id = parseNonEmpty(value, target);
  if (hasControlCharacters(id)) throw new InvalidParameterError(target, `The ${target} must not contain control characters.`);
  return id;
}

export function parsePermission(value: string): Permission {
  if (value === 'joinLeaveGroup' || value === 'sendToGroup') return value;
  throw new InvalidParameterError('permission', `Permission '${clip(value)}' is invalid; use joinLeaveGroup or sendToGroup.`);
}

/** An integer query parameter within [min, max]; `fallback` when absent. */
export function parseInteger(value: string | null, target: string, range: { min: number; max?: number }, fallback?: number): number | undefined {
  if (value === null) return fallback;
  const n = /^[+-]?\d{1,15}$/.test(value.trim()) ? Number(value) : Number.NaN;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < range.min || n > max) {
    const bounds = range.max === undefined ? `at least ${range.min}` : `from ${range.min} to ${range.max}`;
    throw new InvalidParameterError(target, `${target} must be a whole number ${bounds}; got '${clip(value)}'.`);
  }
  return n;
}

/** Keeps echoed input short in messages. */
export function clip(value: string): string {
  return value.length > 64 ? `${value.slice(0, 61)}...` : value;
}
