import { TEMPORARY_KEY_LIFETIME_MS, TemporaryAccessKeys } from '../../../../emulator/signalr/temporary-access-keys';

describe('TemporaryAccessKeys (docs/protocol/signalr.md §6.2)', () => {
  it('issues distinct { KeyId, AccessKey } pairs, each found by its id for 90 minutes', () => {
    let now = 1_000;
    const keys = new TemporaryAccessKeys(() => now);
    const a = keys.issue();
    const b = keys.issue();
    expect(a.KeyId).not.toBe(b.KeyId);
    expect(Buffer.from(a.AccessKey, 'base64')).toHaveLength(32);
    expect(keys.keyFor(a.KeyId)).toBe(a.AccessKey);
    now += TEMPORARY_KEY_LIFETIME_MS - 1;
    expect(keys.keyFor(b.KeyId)).toBe(b.AccessKey);
    now += 1;
    expect(keys.keyFor(a.KeyId)).toBeUndefined();
  });

  it('knows no other id, and no non-string kid', () => {
    const keys = new TemporaryAccessKeys();
    keys.issue();
    expect(keys.keyFor('unknown')).toBeUndefined();
    expect(keys.keyFor(undefined)).toBeUndefined();
    expect(keys.keyFor(42)).toBeUndefined();
  });
});

describe('TemporaryAccessKeys lifetimes and clean-up', () => {
  it('a key issued for a longer token lives that long; expired keys are swept as keys are issued', () => {
    let now = 0;
    const keys = new TemporaryAccessKeys(() => now);
    const long = keys.issue(TEMPORARY_KEY_LIFETIME_MS * 3);
    for (let i = 0; i < 100; i++) keys.issue();
    now = TEMPORARY_KEY_LIFETIME_MS * 2;
    expect(keys.keyFor(long.KeyId)).toBe(long.AccessKey);
    // The long-lived key sits first in the map; the 100 expired ones after it are removed all the same
    // (kept, the map would hold 301 keys).
    for (let i = 0; i < 200; i++) keys.issue();
    expect(keys.size).toBe(201);
    now = TEMPORARY_KEY_LIFETIME_MS * 3;
    expect(keys.keyFor(long.KeyId)).toBeUndefined();
  });
});
