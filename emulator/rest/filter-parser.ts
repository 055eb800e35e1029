import { BadRequestError } from '../../shared/http/errors';
import { COMPARISON_OPERATORS, FUNCTIONS, IDENTIFIERS, type ComparisonOperator, type FilterNode, type FunctionName } from './filter-ast';
import { describeToken, tokenizeFilter, type FilterToken } from './filter-tokenizer';

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
    throw new BadRequestError(`Invalid filter: it is ${text.length} characters long; the limit is ${FILTER_LIMITS.maxLength}.`, 'InvalidFilter');
  }
  if (text.trim() === '') throw new BadRequestError('Invalid filter: it is empty.', 'InvalidFilter');
  return new Parser(tokenizeFilter(text)).parseAll();
}

class Parser {
  private index = 0;
  private depth = 0;
  private clauses = 1;

  constructor(private readonly tokens: readonly FilterToken[]) {}

  parseAll(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      const hint = next.kind === 'word' && !KEYWORDS.has(next.lower) ? '' : ' (a missing \'and\'/\'or\', or an unbalanced parenthesis?)';
      throw this.error(`unexpected ${describeToken(next)}${hint}`, next);
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
      if (items.length > FILTER_LIMITS.maxListItems) throw this.error(`the list after 'in' has more than ${FILTER_LIMITS.maxListItems} items`, open);
    }
    this.expect(')', "')' to close the list after 'in'");
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
        this.expect(')', "')'");
        this.depth--;
        return inner;
      }
      case 'string':
      case 'int':
        return { kind: 'literal', value: token.value, pos: token.pos };
      case 'word':
        return this.parseWord(token);
      default:
        throw this.error(`expected a value, identifier or function but found ${describeToken(token)}`, token);
    }
  }

  private parseWord(token: Extract<FilterToken, { kind: 'word' }>): FilterNode {
    const { lower, pos } = token;
    if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true', pos };
    if (lower === 'null') return { kind: 'literal', value: null, pos };
    const identifier = IDENTIFIERS.get(lower);
    if (identifier) return { kind: 'identifier', name: identifier, pos };
    if (FUNCTIONS.has(lower)) {
      const open = this.expect('(', `'(' after the function name '${token.text}'`);
      this.enter(open);
      const args: FilterNode[] = [];
      if (this.peek().kind !== ')') {
        args.push(this.parseOr());
        while (this.peek().kind === ',') {
          this.next();
          args.push(this.parseOr());
        }
      }
      this.expect(')', `',' or ')' in the arguments of '${token.text}'`);
      this.depth--;
      return { kind: 'call', name: lower as FunctionName, args, pos };
    }
    if (KEYWORDS.has(lower)) throw this.error(`expected a value, identifier or function but found the operator '${token.text}'`, token);
    throw this.error(
      `unknown identifier or function '${token.text}'; identifiers are userId, connectionId, groups and protocol, functions are ${[...FUNCTIONS].join(', ')}`,
      token,
    );
  }

  private countClause(at: FilterToken): void {
    if (++this.clauses > FILTER_LIMITS.maxClauses) throw this.error(`more than ${FILTER_LIMITS.maxClauses} clauses joined by 'and'/'or'`, at);
  }

  private enter(at: FilterToken): void {
    if (++this.depth > FILTER_LIMITS.maxDepth) throw this.error(`nesting deeper than ${FILTER_LIMITS.maxDepth} levels`, at);
  }

  private expect(kind: '(' | ')', what: string): FilterToken {
    const token = this.next();
    if (token.kind !== kind) throw this.error(`expected ${what} but found ${describeToken(token)}`, token);
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

  private error(message: string, at: { pos: number }): BadRequestError {
    return new BadRequestError(`Invalid filter: ${message} at position ${at.pos}.`, 'InvalidFilter');
  }
}
