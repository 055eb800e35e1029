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
