import fc from 'fast-check';
import { isCanonicalBase64url } from '../../../../emulator/auth/base64url';
import { signHs256, verifyHs256 } from '../../../../emulator/auth/hs256';
import { alternateSpellings } from '../../../support/token-spellings';

describe('isCanonicalBase64url', () => {
  it('accepts exactly what Buffer encodes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => expect(isCanonicalBase64url(Buffer.from(bytes).toString('base64url'))).toBe(true)));
  });

  it('refuses non-zero unused bits, impossible lengths, padding and foreign characters', () => {
    expect(isCanonicalBase64url('QQ')).toBe(true); // "A"
    expect(isCanonicalBase64url('QR')).toBe(false);
    expect(isCanonicalBase64url('QUE')).toBe(true); // "AA"
    expect(isCanonicalBase64url('QUF')).toBe(false);
    expect(isCanonicalBase64url('QUFB')).toBe(true);
    expect(isCanonicalBase64url('QUFBQ')).toBe(false);
    expect(isCanonicalBase64url('QQ==')).toBe(false);
    expect(isCanonicalBase64url('Q+/A')).toBe(false);
  });

  it('agrees with a decode/encode round trip on any string of the alphabet', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/), (s) => {
        const roundTrip = s.length % 4 !== 1 && Buffer.from(s, 'base64url').toString('base64url') === s;
        expect(isCanonicalBase64url(s)).toBe(roundTrip);
      }),
    );
  });
});

describe('verifyHs256 with the other spellings of a signature', () => {
  const KEY = 'k'.repeat(32);
  const options = { keys: [KEY], audience: () => true, now: 1000 };

  it('accepts the canonical token and refuses each of its 3 alternate spellings as malformed', () => {
    const token = signHs256({ aud: 'x', exp: 2000 }, KEY);
    expect(verifyHs256(token, options).ok).toBe(true);
    const variants = alternateSpellings(token);
    expect(variants).toHaveLength(3);
    for (const v of variants) expect(verifyHs256(v, options)).toEqual({ ok: false, reason: 'malformed' });
  });
});
