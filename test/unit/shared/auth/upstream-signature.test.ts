import { signConnectionId, verifySignature } from '../../../../shared/auth/upstream-signature';

// Vectors computed with `printf conn1 | openssl dgst -sha256 -hmac <key>`.
const PRIMARY_HEX = '1a2f9884ab8fa7bdb8e701b86b5682441226cecda73d2259faad1a2f32a83bbf';
const SECONDARY_HEX = '398a4f15182223c104dff34bbbc78c4514d0ca606c110339c014ffcbc200ca5a';

describe('signConnectionId', () => {
  it('signs the connection id with each key, primary first, comma-separated', () => {
    expect(signConnectionId('conn1', ['key-primary', 'key-secondary'])).toBe(`sha256=${PRIMARY_HEX},sha256=${SECONDARY_HEX}`);
  });
});

describe('verifySignature', () => {
  it('accepts a signature made with the primary key', () => {
    expect(verifySignature('conn1', `sha256=${PRIMARY_HEX}`, ['key-primary'])).toBe(true);
  });
  it('accepts a signature made with the secondary key', () => {
    expect(verifySignature('conn1', `sha256=${SECONDARY_HEX}`, ['key-primary', 'key-secondary'])).toBe(true);
  });
  it('accepts when any entry of a two-entry header matches any key (rotation)', () => {
    expect(verifySignature('conn1', `sha256=${'0'.repeat(64)}, sha256=${SECONDARY_HEX}`, ['key-secondary'])).toBe(true);
  });
  it('compares hex case-insensitively', () => {
    expect(verifySignature('conn1', `sha256=${PRIMARY_HEX.toUpperCase()}`, ['key-primary'])).toBe(true);
  });
  it('rejects a signature for another connection id', () => {
    expect(verifySignature('conn2', `sha256=${PRIMARY_HEX}`, ['key-primary'])).toBe(false);
  });
  it('rejects a signature from a key that was rotated out', () => {
    expect(verifySignature('conn1', `sha256=${SECONDARY_HEX}`, ['key-primary'])).toBe(false);
  });
  it.each([undefined, null, '', 'sha256=', `sha1=${PRIMARY_HEX}`, PRIMARY_HEX, `sha256=${PRIMARY_HEX}00`])(
    'rejects a missing or malformed header: %p',
    (header) => {
      expect(verifySignature('conn1', header, ['key-primary'])).toBe(false);
    },
  );
  it('rejects everything when no key is configured', () => {
    expect(verifySignature('conn1', `sha256=${PRIMARY_HEX}`, [])).toBe(false);
  });
});
