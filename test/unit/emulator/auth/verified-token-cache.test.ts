import { VerifiedTokenCache } from '../../../../emulator/auth/verified-token-cache';

const GEN = ['key-a'];
const T0 = 1_800_000_000_000;

describe('VerifiedTokenCache', () => {
  it('serves a stored verification until its expiry, and not from the expiry on', () => {
    const cache = new VerifiedTokenCache<string>();
    cache.set('t', GEN, 'ok', T0 + 1000, T0);
    expect(cache.get('t', GEN, T0)).toBe('ok');
    expect(cache.get('t', GEN, T0 + 999)).toBe('ok');
    expect(cache.get('t', GEN, T0 + 1000)).toBeUndefined();
    // The expired entry is gone, not just hidden.
    expect(cache.size).toBe(0);
    expect(cache.get('t', GEN, T0)).toBeUndefined();
  });

  it('misses and drops the entry for another key generation (keys regenerated), even with equal contents', () => {
    const cache = new VerifiedTokenCache<string>();
    cache.set('t', GEN, 'ok', T0 + 1000, T0);
    expect(cache.get('t', ['key-a'], T0)).toBeUndefined();
    expect(cache.get('t', GEN, T0)).toBeUndefined();
  });

  it('keeps at most maxEntries, evicting the least recently used', () => {
    const cache = new VerifiedTokenCache<number>({ maxEntries: 3 });
    for (const [i, key] of ['a', 'b', 'c'].entries()) cache.set(key, GEN, i, T0 + 1000, T0);
    expect(cache.get('a', GEN, T0)).toBe(0); // a is now the most recent
    cache.set('d', GEN, 3, T0 + 1000, T0);
    expect(cache.size).toBe(3);
    expect(cache.get('b', GEN, T0)).toBeUndefined();
    expect(cache.get('a', GEN, T0)).toBe(0);
    expect(cache.get('c', GEN, T0)).toBe(2);
    expect(cache.get('d', GEN, T0)).toBe(3);
  });

  it('does not store keys longer than maxKeyLength, nor entries already expired', () => {
    const cache = new VerifiedTokenCache<string>({ maxKeyLength: 10 });
    cache.set('x'.repeat(11), GEN, 'ok', T0 + 1000, T0);
    cache.set('short', GEN, 'ok', T0, T0);
    expect(cache.size).toBe(0);
  });

  it('forgets everything on clear', () => {
    const cache = new VerifiedTokenCache<string>();
    cache.set('t', GEN, 'ok', T0 + 1000, T0);
    cache.clear();
    expect(cache.get('t', GEN, T0)).toBeUndefined();
  });
});
