import { FilterSyntaxError } from './filter-error';
import { COMPARISON_OPERATORS, FUNCTIONS, IDENTIFIERS, type ComparisonOperator, type FilterNode, type FunctionName } from './filter-ast';
import { tokenizeFilter, type FilterToken } from './filter-tokenizer';

/**
 * Recursive-descent parser for the OData filter subset (docs/protocol/rest-api.md §4).
 *
 * Precedence, high to low: `not` → comparisons (`eq ne gt ge lt le in`) → `and` → `or`.
 * `not` binds to a single primary, so `not length(userId) gt 5` parses as `(not length(userId)) gt 5`
 * and the type checker rejects it, as the spec requires.
 *
 *   or         := and ('or' and)*
 *   and        := comparison ('and' comparison)*
 *   comparison := unary (cmpop unary | 'in' ( '(' expr (',' expr)* ')' | unary ))?
 *   unary      := 'not' unary | primary
 *   primary    := '(' or ')' | literal | identifier | function '(' args ')'
 */

/** docs/protocol/rest-api.md §4 asks for a size/complexity limit ("≤ ~100 clauses"). */
export const FILTER_LIMITS = { maxLength: 4096, maxClauses: 100, maxDepth: 32, maxListItems: 1000 } as const;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null', ...COMPARISON_OPERATORS]);

export function parseFilter(text: string): FilterNode {
  if (text.length > FILTER_LIMITS.maxLength) {
    throw new FilterSyntaxError(`The filter is ${text.length} characters long; the limit is ${FILTER_LIMITS.maxLength}.`);
  }
  if (text.trim() === '') throw new FilterSyntaxError('The filter is empty.');
  return new Parser(text, tokenizeFilter(text)).parseAll();
}

class Parser {
  private index = 0;
  private depth = 0;
  private clauses = 1;
  /**
   * The first name that is not an identifier or function. The service checks the syntax of the whole
   * filter before it looks names up ('invalid filter' is a syntax error at 14, not an unknown name at
   * 0), so an unknown name is parsed as a value and reported only if the syntax is sound.
   */
  private unknownName: Extract<FilterToken, { kind: 'word' }> | undefined;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly FilterToken[],
  ) {}

  parseAll(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') throw this.syntaxError(next);
    if (this.unknownName) {
      const token = this.unknownName;
      throw this.error(
        `'${token.text}' is not a known identifier or function (identifiers are userId, connectionId, groups and protocol; functions are ${[...FUNCTIONS].join(', ')})`,
        token,
      );
    }
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      const op = this.next();
      this.countClause(op);
      left = { kind: 'or', left, right: this.parseAnd(), pos: op.pos };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseComparison();
    while (this.isWord('and')) {
      const op = this.next();
      this.countClause(op);
      left = { kind: 'and', left, right: this.parseComparison(), pos: op.pos };
    }
    return left;
  }

  private parseComparison(): FilterNode {
    const left = this.parseUnary();
    const op = this.peek();
    if (op.kind !== 'word') return left;
    if (COMPARISON_OPERATORS.has(op.lower)) {
      this.next();
      return { kind: 'comparison', op: op.lower as ComparisonOperator, left, right: this.parseUnary(), pos: op.pos };
    }
    if (op.lower === 'in') {
      this.next();
      if (this.peek().kind === '(') return { kind: 'inList', left, items: this.parseList(), pos: op.pos };
      return { kind: 'inCollection', left, collection: this.parseUnary(), pos: op.pos };
    }
    return left;
  }

  private parseList(): FilterNode[] {
    const open = this.next();
    this.enter(open);
    const items: FilterNode[] = [this.parseOr()];
    while (this.peek().kind === ',') {
      this.next();
      items.push(this.parseOr());
      if (items.length > FILTER_LIMITS.maxListItems) throw this.error(`The list after 'in' has more than ${FILTER_LIMITS.maxListItems} items`, open);
    }
    this.expect(')');
    this.depth--;
    return items;
  }

  private parseUnary(): FilterNode {
    if (this.isWord('not')) {
      const op = this.next();
      this.enter(op);
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'not', operand, pos: op.pos };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const token = this.next();
    switch (token.kind) {
      case '(': {
        this.enter(token);
        const inner = this.parseOr();
        this.expect(')');
        this.depth--;
        return inner;
      }
      case 'string':
      case 'int':
        return { kind: 'literal', value: token.value, pos: token.pos };
      case 'word':
        return this.parseWord(token);
      default:
        throw this.expressionExpected(token);
    }
  }

  private parseWord(token: Extract<FilterToken, { kind: 'word' }>): FilterNode {
    const { lower, pos } = token;
    if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true', pos };
    if (lower === 'null') return { kind: 'literal', value: null, pos };
    const identifier = IDENTIFIERS.get(lower);
    if (identifier) return { kind: 'identifier', name: identifier, pos };
    if (FUNCTIONS.has(lower)) return { kind: 'call', name: lower as FunctionName, args: this.parseCall(), pos };
    if (KEYWORDS.has(lower)) throw this.expressionExpected(token);
    this.unknownName ??= token;
    // An unknown function call is still read as one, so the syntax after it is checked.
    if (this.peek().kind === '(') this.parseCall();
    return { kind: 'literal', value: null, pos };
  }

  /** `name '(' args ')'`, after the name. */
  private parseCall(): FilterNode[] {
    const open = this.expect('(');
    this.enter(open);
    const args: FilterNode[] = [];
    if (this.peek().kind !== ')') {
      args.push(this.parseOr());
      while (this.peek().kind === ',') {
        this.next();
        args.push(this.parseOr());
      }
    }
    this.expect(')');
    this.depth--;
    return args;
  }

  private countClause(at: FilterToken): void {
    if (++this.clauses > FILTER_LIMITS.maxClauses) throw this.error(`The filter has more than ${FILTER_LIMITS.maxClauses} clauses joined by 'and'/'or'`, at);
  }

  private enter(at: FilterToken): void {
    if (++this.depth > FILTER_LIMITS.maxDepth) throw this.error(`The filter nests deeper than ${FILTER_LIMITS.maxDepth} levels`, at);
  }

  private expect(kind: '(' | ')'): FilterToken {
    const token = this.next();
    if (token.kind !== kind) throw this.syntaxError(token);
    return token;
  }

  private isWord(lower: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.lower === lower;
  }

  private peek(): FilterToken {
    return this.tokens[this.index]!;
  }

  private next(): FilterToken {
    const token = this.tokens[this.index]!;
    // The final 'end' token is sticky so look-ahead past the end is always safe.
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /**
   * The service's OData parser reports a token it did not expect at the offset just past that token
   * (for the end of the filter: its length).
   */
  private syntaxError(token: FilterToken): FilterSyntaxError {
    return new FilterSyntaxError(`Syntax error at position ${token.end} in '${this.text}'.`);
  }

  /** Where a value was needed, the service's OData parser reports the offset where the token starts. */
  private expressionExpected(token: FilterToken): FilterSyntaxError {
    return new FilterSyntaxError(`Expression expected at position ${token.pos - 1} in '${this.text}'.`);
  }

  private error(message: string, at: { pos: number }): FilterSyntaxError {
    return new FilterSyntaxError(`${message} at position ${at.pos - 1} in '${this.text}'.`);
  }
}
