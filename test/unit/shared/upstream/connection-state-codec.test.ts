import fc from 'fast-check';
import { decodeConnectionState, encodeConnectionState } from '../../../../shared/upstream/connection-state-codec';

describe('connection state (docs/protocol/cloud-events.md §8)', () => {
  it('is base64(JSON(object)) both ways', () => {
    const header = encodeConnectionState({ a: 1, b: 'x' });
    expect(JSON.parse(Buffer.from(header, 'base64').toString('utf8'))).toEqual({ a: 1, b: 'x' });
    expect(decodeConnectionState(header)).toEqual({ states: { a: 1, b: 'x' } });
  });
  it.each([null, undefined, ''])('no header %p → {} without a warning', (h) => {
    expect(decodeConnectionState(h)).toEqual({ states: {} });
  });
  it.each(['%%%', Buffer.from('not json').toString('base64'), Buffer.from('[1,2]').toString('base64'), Buffer.from('null').toString('base64')])(
    'invalid %p → {} with a warning',
    (h) => {
      const d = decodeConnectionState(h);
      expect({ ...d.states }).toEqual({});
      expect(d.warning).toMatch(/ce-connectionState/);
    },
  );
  it('keeps "__proto__" as plain data', () => {
    const d = decodeConnectionState(Buffer.from('{"__proto__":{"polluted":1}}').toString('base64'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(d.states)).toEqual(['__proto__']);
  });
  it('property: any JSON object round-trips; any string decodes without throwing', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        expect(JSON.stringify(decodeConnectionState(encodeConnectionState(obj)).states)).toBe(JSON.stringify(JSON.parse(JSON.stringify(obj))));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof decodeConnectionState(s).states).toBe('object');
      }),
      { numRuns: 2000 },
    );
  });
});
