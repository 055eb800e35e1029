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
    // Targets and the group message as the service answers (recorded live: target Groups / Filter).
    ['no groups', '{}', 'Groups', /^Invalid group name\. Valid group name should be in between 1 and 1024 characters long\.$/],
    ['empty groups', '{"groups":[]}', 'Groups', /Invalid group name/],
    ['a whitespace group', '{"groups":["  "]}', 'Groups', /Invalid group name/],
    ['a number group', '{"groups":[1]}', 'Groups', /Invalid group name/],
    [
      'a bad filter',
      '{"groups":["g"],"filter":"invalid filter"}',
      'Filter',
      /^Invalid syntax for 'invalid filter': Syntax error at position 14 in 'invalid filter'\. \(Parameter 'filter'\)$/,
    ],
    ['a non-string filter', '{"groups":["g"],"filter":true}', 'Filter', /must be a string/],
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
