import type { ConnectionFilter } from '../core/types';
import { compileFilterTree } from './filter-evaluator';
import { parseFilter } from './filter-parser';
import { checkFilter } from './filter-type-check';

/**
 * Compiles an OData `filter` (docs/protocol/rest-api.md §4) into a predicate over connections: parse, type-check, then
 * build closures once, so evaluation per connection does no parsing.
 * Throws BadRequestError (code `InvalidFilter`) naming the position of any syntax, type or size problem.
 */
export function compileFilter(text: string): ConnectionFilter {
  const tree = parseFilter(text);
  checkFilter(tree);
  return compileFilterTree(tree);
}
