import { isRecord } from '../../../web/is-record';

describe('isRecord', () => {
  it('accepts JSON objects, with or without fields', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(JSON.parse('{"system":"joined","userId":"ann"}'))).toBe(true);
  });

  it.each([null, undefined, [], ['a'], 'text', 1, true])('refuses %p', (value) => {
    expect(isRecord(value)).toBe(false);
  });
});
