import { BadRequestError } from '../../../../emulator/core/service-errors';
import type { FilterTarget } from '../../../../emulator/core/types';
import { compileFilter } from '../../../../emulator/rest/filter';

const target = (connectionId: string, userId: string | null, groups: string[], protocol: string | null = null): FilterTarget => ({
  connectionId,
  userId,
  groups: new Set(groups),
  protocol,
});

const CONNECTIONS: FilterTarget[] = [
  target('c1', 'user1', ['g1', 'g2'], 'json.webpubsub.azure.v1'),
  target('c2', 'User2', ['g2'], 'json.reliable.webpubsub.azure.v1'),
  target('c3', null, []),
  target('c4', "o'x", ['g1']),
  target('c5', '  padded  ', ['group 3', 'g1', 'g2']),
];

const select = (filter: string) => CONNECTIONS.filter(compileFilter(filter)).map((c) => c.connectionId);

describe('compileFilter — examples from docs/protocol/rest-api.md §4 and the OData reference', () => {
  it.each<[string, string[]]>([
    ["userId eq 'user1'", ['c1']],
    ["connectionId ne 'c1'", ['c2', 'c3', 'c4', 'c5']],
    ["'g1' in groups", ['c1', 'c4', 'c5']],
    ["'g1' in groups or 'g2' in groups", ['c1', 'c2', 'c4', 'c5']],
    ["userId in ('user1','User2') and 'g1' in groups", ['c1']],
    ["userId eq 'user1' and (not ('g1' in groups))", []],
    ["userId eq 'o''x'", ['c4']],
    ["protocol eq 'json.webpubsub.azure.v1'", ['c1']],
    ['protocol eq null', ['c3', 'c4', 'c5']],
    ['userId eq null', ['c3']],
    ['userId ne null', ['c1', 'c2', 'c4', 'c5']],
    ["tolower(userId) eq 'user2'", ['c2']],
    ["toupper(userId) eq 'USER1'", ['c1']],
    ["trim(userId) eq 'padded'", ['c5']],
    ["substring(userId, 1) eq 'ser1'", ['c1']],
    ["substring(userId, 0, 2) eq 'Us'", ['c2']],
    ["concat(userId, '!') eq 'user1!'", ['c1']],
    ["indexof(userId, 'ser') eq 1", ['c1', 'c2']],
    ["indexof(userId, 'zzz') eq -1", ['c1', 'c2', 'c4', 'c5']],
    ['length(userId) gt 5', ['c5']],
    ['length(userId) le 3', ['c4']],
    ['length(groups) ge 2', ['c1', 'c5']],
    ['length(groups) eq 0', ['c3']],
    ["startswith(userId, 'user')", ['c1']],
    ["endswith(connectionId, '5')", ['c5']],
    ["contains(userId, 'ser')", ['c1', 'c2']],
    ["not contains(userId, 'ser')", ['c4', 'c5']],
    ["'group 3' in groups", ['c5']],
    ["userId gt 'user0'", ['c1']],
    ["connectionId lt 'c3'", ['c1', 'c2']],
    ["connectionId ge 'c4'", ['c4', 'c5']],
    ['true', ['c1', 'c2', 'c3', 'c4', 'c5']],
    ['false', []],
    ["contains(userId, 'ser') eq true", ['c1', 'c2']],
    ["USERID eq 'user1' AND 'g2' IN Groups", ['c1']],
    ["connectionId eq 'c1' or connectionId eq 'c2' and userId eq 'nobody'", ['c1']],
    ["(connectionId eq 'c1' or connectionId eq 'c2') and userId eq 'User2'", ['c2']],
    ["userId in ('user1', null)", ['c1', 'c3']],
    ["not (userId eq 'user1') and not ('g2' in groups)", ['c3', 'c4']],
    ['-1 lt +1', ['c1', 'c2', 'c3', 'c4', 'c5']],
  ])('%s', (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  it('compares values case-sensitively', () => {
    expect(select("userId eq 'USER1'")).toEqual([]);
    expect(select("'G1' in groups")).toEqual([]);
  });

  describe('null semantics (OData: functions propagate null, three-valued logic)', () => {
    it.each<[string, boolean]>([
      ["startswith(userId, 'u')", false],
      ["not startswith(userId, 'u')", false],
      ['tolower(userId) eq null', true],
      ['length(userId) eq null', true],
      ['length(userId) gt 0', false],
      ['length(userId) lt 1000', false],
      ["userId gt 'a'", false],
      ["not (userId eq 'a')", true],
      ["startswith(userId, 'u') or true", true],
      ["startswith(userId, 'u') and false", false],
      ["not (startswith(userId, 'u') or false)", false],
      ["userId in ('a', 'b')", false],
      ['userId in groups', false],
    ])('%s on a connection without userId → %s', (filter, expected) => {
      expect(compileFilter(filter)(target('x', null, ['a']))).toBe(expected);
    });
  });

  it('treats out-of-range substring arguments like OData (clamped, never throws)', () => {
    const t = target('abc', 'abc', []);
    expect(compileFilter("substring(userId, 10) eq ''")(t)).toBe(true);
    expect(compileFilter("substring(userId, -2, 2) eq 'ab'")(t)).toBe(true);
    expect(compileFilter("substring(userId, 1, -1) eq ''")(t)).toBe(true);
    expect(compileFilter("substring(userId, 1, 99) eq 'bc'")(t)).toBe(true);
  });
});

describe("compileFilter — malformed filters get the service's message", () => {
  it.each<[string, RegExp]>([
    ['', /The filter is empty\./],
    ['   ', /The filter is empty\./],
    // The service's OData parser counts positions from 0 and reports a syntax error just past the
    // token it did not expect (recorded live: 'invalid filter' → position 14).
    ['invalid filter', /^Invalid syntax for 'invalid filter': Syntax error at position 14 in 'invalid filter'\. \(Parameter 'filter'\)$/],
    ["userId eq 'abc", /There is an unterminated string literal at position 14 in 'userId eq 'abc'\./],
    ['userId eq', /Expression expected at position 9 in 'userId eq'\./],
    ["userId = 'a'", /Syntax error: character '=' is not valid at position 7 in/],
    ["userId eq 'a' and", /Expression expected at position 17 in/],
    ["(userId eq 'a'", /Syntax error at position 14 in/],
    ["userId eq 'a')", /Syntax error at position 14 in/],
    ["foo eq 'a'", /'foo' is not a known identifier or function .* at position 0 in/],
    ["userId eq 'a' userId eq 'b'", /Syntax error at position 20 in/],
    ['not length(userId) gt 5', /: Type 'int', expect 'bool'\. \(Parameter 'filter'\)$/],
    ['userId eq 5', /'eq' compares a string with an integer/],
    ["length(userId) gt 'a'", /'gt' needs two integers or two strings/],
    ['userId gt null', /[Nn]ull can only be compared with 'eq' or 'ne'/],
    ['userId', /must be a condition.*string/],
    ['length(groups)', /must be a condition.*integer/],
    ["groups eq 'a'", /cannot compare a collection/],
    ["'a' in userId", /right side of 'in' must be groups or a parenthesised list/],
    ['userId in (connectionId)', /may contain only literals/],
    ["'a' in (groups)", /without parentheses/],
    ["userId in ('a', 1)", /mixes a string with an integer/],
    ["tolower(userId, 'x') eq 'a'", /tolower\(\) takes 1 argument but got 2/],
    ["substring(userId) eq 'a'", /substring\(\) takes 2 or 3 arguments but got 1/],
    ["substring(userId, 'a') eq 'a'", /[Aa]rgument 2 of substring\(\) must be an integer/],
    ['startswith(userId, 1)', /[Aa]rgument 2 of startswith\(\) must be a string/],
    ['length(1) eq 1', /length\(\) needs a string or groups/],
    ["tolower 'a'", /Syntax error at position 11 in/],
    ["userId eq 'a' and 5", /'and' needs conditions on both sides/],
    ['userId eq 1.5', /only integer literals are supported/],
    ['length(userId) eq 99999999999999999999', /out of range/],
    ['userId eq and', /Expression expected at position 10 in/],
    ["userId eq 'a' or or", /Expression expected at position 17 in/],
    ['5 in groups', /'in groups' needs a string on the left/],
  ])('%j', (filter, message) => {
    let caught: unknown;
    try {
      compileFilter(filter);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    expect((caught as BadRequestError).status).toBe(400);
    expect((caught as BadRequestError).code).toBe('Error.BadRequest');
    expect((caught as Error).message).toMatch(
      new RegExp(`^Invalid syntax for '${filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}': .* \\(Parameter 'filter'\\)$`, 's'),
    );
    expect((caught as Error).message).toMatch(message);
  });

  it('limits the size of a filter', () => {
    expect(() => compileFilter(`userId eq '${'a'.repeat(4100)}'`)).toThrow(/4096/);
  });

  it('limits the number of clauses', () => {
    const ok = Array.from({ length: 100 }, (_, i) => `userId eq 'u${i}'`).join(' or ');
    expect(compileFilter(ok)(target('c', 'u99', []))).toBe(true);
    const tooMany = Array.from({ length: 101 }, (_, i) => `userId eq 'u${i}'`).join(' or ');
    expect(() => compileFilter(tooMany)).toThrow(/more than 100 clauses/);
  });

  it('limits nesting depth', () => {
    expect(compileFilter(`${'('.repeat(32)}true${')'.repeat(32)}`)(CONNECTIONS[0]!)).toBe(true);
    expect(() => compileFilter(`${'('.repeat(33)}true${')'.repeat(33)}`)).toThrow(/nests deeper than 32/);
    expect(() => compileFilter(`${'not '.repeat(40)}true`)).toThrow(/nests deeper than 32/);
  });
});
