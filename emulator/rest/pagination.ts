import type { GroupMember } from '../core/types';
import { InvalidParameterError } from './request-errors';

/**
 * Paging of ListConnectionsInGroup (docs/protocol/rest-api.md §5). The registry returns members in a stable order,
 * so a continuation token is an offset, wrapped so that clients treat it as opaque.
 */

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 200;

export function encodeContinuationToken(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

export function decodeContinuationToken(token: string | null): number {
  if (token === null) return 0;
  const m = /^o:(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw new InvalidParameterError('continuationToken', 'continuationToken is not one this service issued; start again without it.');
  return Number(m[1]);
}

export interface Page {
  readonly value: readonly { connectionId: string; userId?: string }[];
  /** Present when more members remain (and `top` allows more). */
  readonly next?: { readonly offset: number; readonly top?: number };
}

/** One page of `members` from `offset`; `top` is how many the caller still wants in total. */
export function pageOf(members: readonly GroupMember[], request: { offset: number; maxPageSize: number; top?: number }): Page {
  const size = Math.min(request.maxPageSize, request.top ?? Number.MAX_SAFE_INTEGER);
  const slice = members.slice(request.offset, request.offset + size);
  // docs/protocol/rest-api.md §5: userId is omitted when the connection has none.
  const value = slice.map((m) => (m.userId === null ? { connectionId: m.connectionId } : { connectionId: m.connectionId, userId: m.userId }));
  const offset = request.offset + slice.length;
  const remainingTop = request.top === undefined ? undefined : request.top - slice.length;
  if (offset >= members.length || remainingTop === 0 || slice.length === 0) return { value };
  return { value, next: remainingTop === undefined ? { offset } : { offset, top: remainingTop } };
}
