import { BadRequestError } from '../http/errors';

/**
 * The send-to-user operation has no `excluded` parameter (docs/protocol/rest-api.md §2), so excluded connections
 * become an OData filter. One `in` list is the shortest spelling: `not(connectionId in ('a','b'))`
 * costs 3 characters per id plus the id, where `connectionId ne 'a' and …` cost 22, and it counts as
 * one clause against the service's clause limit.
 */

/** The service's filter size limit (docs/protocol/rest-api.md §4: longer filters are refused with 400). */
export const MAX_FILTER_LENGTH = 4096;

/** An OData string literal: single quotes, `'` doubled (docs/protocol/rest-api.md §4). */
function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The filter that keeps every connection except `excluded`; a BadRequestError (400) when the ids are
 * too long to fit the service's limit, so the caller learns what to change instead of getting a 502.
 */
export function excludedConnectionsFilter(excluded: readonly string[]): string {
  const filter = `not(connectionId in (${excluded.map(literal).join(',')}))`;
  if (filter.length > MAX_FILTER_LENGTH) {
    throw new BadRequestError(
      `"excluded" is too long for a send to a user: its ${excluded.length} connection ids need a ${filter.length}-character filter and the service accepts at most ${MAX_FILTER_LENGTH}; exclude fewer connections, or send to a group instead`,
      'ExcludedTooLong',
    );
  }
  return filter;
}
