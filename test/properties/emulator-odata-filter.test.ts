import fc from 'fast-check';
import { BadRequestError } from '../../emulator/core/service-errors';
import type { FilterTarget } from '../../emulator/core/types';
import type { FilterNode } from '../../emulator/rest/filter-ast';
import { compileFilterTree } from '../../emulator/rest/filter-evaluator';
import { compileFilter } from '../../emulator/rest/filter';
import { parseFilter } from '../../emulator/rest/filter-parser';
import { printFilter } from '../../emulator/rest/filter-printer';
import { checkFilter } from '../../emulator/rest/filter-type-check';

/** Property tests: the compiler is total (a function or a BadRequestError), and printing round-trips. */

const pos = 1;
const lit = (value: string | number | boolean | null): FilterNode => ({ kind: 'literal', value, pos });
const id = (name: 'userId' | 'connectionId' | 'protocol' | 'groups'): FilterNode => ({ kind: 'identifier', name, pos });

const smallString = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', 'U', ' ', "'", 'g', '1', 'é') });
const groupName = fc.constantFrom('g1', 'g2', "o'x", 'a b');

/** Well-typed trees, generated per static type. */
const trees = fc.letrec<{ bool: FilterNode; str: FilterNode; int: FilterNode }>((tie) => ({
  str: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    smallString.map(lit),
    fc.constantFrom<FilterNode>(id('userId'), id('connectionId'), id('protocol')),
    fc.tuple(fc.constantFrom('tolower', 'toupper', 'trim'), tie('str')).map(([name, a]): FilterNode => ({ kind: 'call', name, args: [a], pos })),
    fc.tuple(tie('str'), tie('str')).map(([a, b]): FilterNode => ({ kind: 'call', name: 'concat', args: [a, b], pos })),
    fc
      .tuple(tie('str'), tie('int'), fc.option(tie('int'), { nil: undefined }))
      .map(([s, a, b]): FilterNode => ({ kind: 'call', name: 'substring', args: b === undefined ? [s, a] : [s, a, b], pos })),
  ),
  int: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -3, max: 8 }).map(lit),
    fc.constant<FilterNode>({ kind: 'call', name: 'length', args: [id('groups')], pos }),
    tie('str').map((s): FilterNode => ({ kind: 'call', name: 'length', args: [s], pos })),
    fc.tuple(tie('str'), tie('str')).map(([a, b]): FilterNode => ({ kind: 'call', name: 'indexof', args: [a, b], pos })),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean().map(lit),
    fc
      .tuple(fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le'), fc.boolean(), tie('str'), tie('str'), tie('int'), tie('int'))
      .map(([op, useInt, s1, s2, i1, i2]): FilterNode => ({ kind: 'comparison', op, left: useInt ? i1 : s1, right: useInt ? i2 : s2, pos })),
    fc.tuple(fc.constantFrom('eq', 'ne'), tie('str')).map(([op, s]): FilterNode => ({ kind: 'comparison', op, left: s, right: lit(null), pos })),
    fc
      .tuple(tie('str'), fc.array(fc.oneof(smallString.map(lit), fc.constant(lit(null))), { minLength: 1, maxLength: 3 }))
      .map(([left, items]): FilterNode => ({ kind: 'inList', left, items, pos })),
    fc.oneof(groupName.map(lit), tie('str')).map((left): FilterNode => ({ kind: 'inCollection', left, collection: id('groups'), pos })),
    fc
      .tuple(fc.constantFrom('startswith', 'endswith', 'contains'), tie('str'), tie('str'))
      .map(([name, a, b]): FilterNode => ({ kind: 'call', name, args: [a, b], pos })),
    tie('bool').map((operand): FilterNode => ({ kind: 'not', operand, pos })),
    fc.tuple(fc.constantFrom('and', 'or'), tie('bool'), tie('bool')).map(([kind, left, right]): FilterNode => ({ kind, left, right, pos })),
  ),
}));

const targets = fc.record<FilterTarget>({
  connectionId: fc.constantFrom('c1', 'c2', 'abc'),
  userId: fc.option(smallString, { nil: null }),
  groups: fc.subarray(['g1', 'g2', "o'x", 'a b']).map((g) => new Set(g)),
  protocol: fc.constantFrom(null, 'json.webpubsub.azure.v1'),
});

function isTotal(text: string): boolean {
  try {
    const f = compileFilter(text);
    return typeof f === 'function';
  } catch (e) {
    return e instanceof BadRequestError && e.status === 400 && e.message.startsWith('Invalid syntax for ') && e.message.endsWith(" (Parameter 'filter')");
  }
}

describe('compileFilter properties', () => {
  it('returns a function or throws BadRequestError for arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), isTotal), { numRuns: 3000 });
  });

  it('returns a function or throws BadRequestError for strings built from filter vocabulary', () => {
    const vocabulary = fc.constantFrom(
      'userId',
      'connectionId',
      'groups',
      'protocol',
      'eq',
      'ne',
      'gt',
      'lt',
      'ge',
      'le',
      'and',
      'or',
      'not',
      'in',
      '(',
      ')',
      ',',
      "'a'",
      "'g1'",
      "''''",
      "'",
      '1',
      '-2',
      '+3',
      'null',
      'true',
      'false',
      'length',
      'tolower',
      'substring',
      'concat',
      'indexof',
      'startswith',
      'contains',
      'trim',
      'toupper',
      'endswith',
      '.',
      '=',
    );
    fc.assert(
      fc.property(fc.array(vocabulary, { maxLength: 25 }), fc.constantFrom(' ', ''), (words, sep) => isTotal(words.join(sep))),
      { numRuns: 5000 },
    );
  });

  it('returns a function or throws BadRequestError for mutations of valid filters', () => {
    fc.assert(
      fc.property(trees.bool, fc.nat(), fc.nat(), fc.string({ maxLength: 3 }), (tree, at, length, insert) => {
        const text = printFilter(tree);
        const i = at % (text.length + 1);
        return isTotal(text.slice(0, i) + insert + text.slice(i + (length % 4)));
      }),
      { numRuns: 3000 },
    );
  });

  it('prints well-typed trees to text that parses back to a filter with the same meaning', () => {
    fc.assert(
      fc.property(trees.bool, fc.array(targets, { minLength: 1, maxLength: 5 }), (tree, sample) => {
        const text = printFilter(tree);
        if (text.length > 4096) return true;
        checkFilter(tree);
        const reparsed = parseFilter(text);
        expect(printFilter(reparsed)).toBe(text);
        const original = compileFilterTree(tree);
        const compiled = compileFilter(text);
        for (const t of sample) expect(compiled(t)).toBe(original(t));
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});
