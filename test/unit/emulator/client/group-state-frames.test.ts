import { WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import {
  encodeGroupStateSnapshot,
  encodeGroupStateUpdate,
  MAX_STATE_BYTES,
  MAX_STATE_KEYS,
  parseGroupState,
} from '../../../../emulator/client/group-state-frames';

describe('group state frames', () => {
  it('parses state: absent or null clears, string values only, bounded', () => {
    expect(parseGroupState(undefined)).toEqual({ state: undefined });
    expect(parseGroupState(null)).toEqual({ state: undefined });
    expect(parseGroupState({ a: 'b' })).toEqual({ state: { a: 'b' } });
    expect(parseGroupState([])).toHaveProperty('invalid');
    expect(parseGroupState({ a: 1 })).toEqual({ invalid: '"state.a" must be a string' });
    expect(parseGroupState({ '': 'x' })).toHaveProperty('invalid');
    expect(parseGroupState(Object.fromEntries(Array.from({ length: MAX_STATE_KEYS + 1 }, (_, i) => [`k${i}`, 'v'])))).toHaveProperty('invalid');
    expect(parseGroupState({ big: 'x'.repeat(MAX_STATE_BYTES) })).toHaveProperty('invalid');
    // A "__proto__" key is data, not a prototype.
    const parsed = parseGroupState(JSON.parse('{"__proto__":"x"}')) as { state: Record<string, string> };
    expect(Object.getPrototypeOf(parsed.state)).toBe(Object.prototype);
    expect(Object.keys(parsed.state)).toEqual(['__proto__']);
  });

  it('encodes snapshot and update as the 1.1.0 client parses them', () => {
    const items = [{ connectionId: 'c', userId: 'u', state: { k: 'v' }, updatedAt: 5 }];
    expect(WebPubSubJsonProtocol().parseMessages(encodeGroupStateSnapshot('g', items))).toEqual({
      type: 'groupStateSnapshot',
      kind: 'groupStateSnapshot',
      group: 'g',
      items,
    });
    expect(WebPubSubJsonProtocol().parseMessages(encodeGroupStateUpdate('g', []))).toEqual({
      type: 'groupStateUpdate',
      kind: 'groupStateUpdate',
      group: 'g',
      items: [],
    });
  });
});
