import { parseBulkGroupsBody } from '../../../../emulator/rest/bulk-groups-body';
import { InvalidParameterError } from '../../../../emulator/rest/request-errors';

const parse = (body: string, contentType = 'application/json') => parseBulkGroupsBody(contentType, Buffer.from(body));
const anonymous = { connectionId: 'c', userId: null, groups: new Set<string>(), protocol: null };

describe('parseBulkGroupsBody (docs/protocol/rest-api.md §2 #19/#20)', () => {
  it('reads groups and compiles the filter', () => {
    const r = parse(`{"groups":["g1","g2"],"filter":"userId eq 'u1'"}`);
    expect(r.groups).toEqual(['g1', 'g2']);
    expect(r.filter?.({ ...anonymous, userId: 'u1' })).toBe(true);
    expect(r.filter?.(anonymous)).toBe(false);
  });

  it.each(['{"groups":["g"]}', '{"groups":["g"],"filter":null}', '{"groups":["g"],"filter":""}'])('selects everything without a filter: %s', (body) => {
    expect(parse(body)).toEqual({ groups: ['g'] });
  });

  it.each<[string, string, string, RegExp]>([
    ['not JSON', '{', 'body', /not valid JSON/],
    ['an array', '["g"]', 'body', /JSON object/],
    ['no groups', '{}', 'groups', /non-empty array/],
    ['empty groups', '{"groups":[]}', 'groups', /non-empty array/],
    ['a whitespace group', '{"groups":["  "]}', 'groups', /whitespace/],
    ['a number group', '{"groups":[1]}', 'groups', /only strings/],
    ['a bad filter', '{"groups":["g"],"filter":"userId eq"}', 'filter', /Invalid filter/],
    ['a non-string filter', '{"groups":["g"],"filter":true}', 'filter', /must be a string/],
  ])('rejects %s with 400 naming %s', (_name, body, target, message) => {
    let caught: unknown;
    try {
      parse(body);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidParameterError);
    expect((caught as InvalidParameterError).target).toBe(target);
    expect((caught as Error).message).toMatch(message);
  });

  it('rejects a non-JSON content type', () => {
    expect(() => parse('{"groups":["g"]}', 'text/plain')).toThrow(/must be application\/json/);
  });
});
