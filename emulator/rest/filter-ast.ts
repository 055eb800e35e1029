/**
 * The syntax tree of the OData filter subset (docs/protocol/rest-api.md §4). Produced by the parser, checked by the
 * type checker, turned into a closure by the evaluator and back into text by the printer.
 * `pos` is the 1-based character position of the node's first token, for error messages.
 */

export type Identifier = 'userId' | 'connectionId' | 'groups' | 'protocol';

export type FunctionName = 'tolower' | 'toupper' | 'trim' | 'substring' | 'concat' | 'indexof' | 'length' | 'startswith' | 'endswith' | 'contains';

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type LiteralValue = string | number | boolean | null;

export type FilterNode =
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly pos: number }
  | { readonly kind: 'identifier'; readonly name: Identifier; readonly pos: number }
  | { readonly kind: 'call'; readonly name: FunctionName; readonly args: readonly FilterNode[]; readonly pos: number }
  | { readonly kind: 'comparison'; readonly op: ComparisonOperator; readonly left: FilterNode; readonly right: FilterNode; readonly pos: number }
  /** `x in ('a','b')` */
  | { readonly kind: 'inList'; readonly left: FilterNode; readonly items: readonly FilterNode[]; readonly pos: number }
  /** `'g' in groups` */
  | { readonly kind: 'inCollection'; readonly left: FilterNode; readonly collection: FilterNode; readonly pos: number }
  | { readonly kind: 'not'; readonly operand: FilterNode; readonly pos: number }
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode; readonly pos: number };

/** Identifier names are case-insensitive (docs/protocol/rest-api.md §4); this maps the lower-case spelling to the canonical one. */
export const IDENTIFIERS: ReadonlyMap<string, Identifier> = new Map<string, Identifier>([
  ['userid', 'userId'],
  ['connectionid', 'connectionId'],
  ['groups', 'groups'],
  ['protocol', 'protocol'],
]);

export const FUNCTIONS: ReadonlySet<string> = new Set<FunctionName>([
  'tolower',
  'toupper',
  'trim',
  'substring',
  'concat',
  'indexof',
  'length',
  'startswith',
  'endswith',
  'contains',
]);

export const COMPARISON_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
