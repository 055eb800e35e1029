import type { ConnectionFilter } from '../core/types';
import { compileFilterTree } from './filter-evaluator';
import { parseFilter } from './filter-parser';
import { FilterSyntaxError, invalidFilterMessage } from './filter-error';
import { checkFilter } from './filter-type-check';
import { BadRequestError } from '../core/service-errors';

/**
 * Compiles an OData `filter` (docs/protocol/rest-api.md §4) into a predicate over connections: parse, type-check, then
 * build closures once, so evaluation per connection does no parsing.
 * Throws BadRequestError with the service's message ("Invalid syntax for '<filter>': …") for any
 * syntax, type or size problem; the caller names the parameter (target).
 */
export function compileFilter(text: string): ConnectionFilter {
  try {
    const tree = parseFilter(text);
    checkFilter(tree);
    return compileFilterTree(tree);
  } catch (e) {
    if (e instanceof FilterSyntaxError) throw new BadRequestError(invalidFilterMessage(text, e.message));
    throw e;
  }
}
