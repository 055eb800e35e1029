import { SignJWT, UnsecuredJWT } from 'jose';
import { claimAsArray, signHs256, verifyHs256 } from '../../../../emulator/auth/hs256';

const KEY = 'primary-key-0123456789-0123456789';
const OTHER = 'secondary-key-0123456789-01234567';
const NOW = 1_800_000_000;
const aud = 'http://127.0.0.1:8080/client/hubs/chat';
const audience = (a: unknown) => a === aud;

const joseToken = (claims: Record<string, unknown>, key = KEY) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(key));

describe('verifyHs256', () => {
  it('accepts a token signed by jose (an independent implementation)', async () => {
    const t = await joseToken({ aud, exp: NOW + 60, sub: 'alice' });
    expect(verifyHs256(t, { keys: [KEY], audience, now: NOW })).toEqual({ ok: true, payload: { aud, exp: NOW + 60, sub: 'alice' } });
  });
  it('accepts a token signed with the secondary key', async () => {
    const t = await joseToken({ aud, exp: NOW + 60 }, OTHER);
    expect(verifyHs256(t, { keys: [KEY, OTHER], audience, now: NOW }).ok).toBe(true);
  });
  it('produces tokens jose verifies (signHs256)', async () => {
    const { jwtVerify } = await import('jose');
    const t = signHs256({ aud, exp: NOW + 60 }, KEY);
    const { payload } = await jwtVerify(t, new TextEncoder().encode(KEY), { currentDate: new Date(NOW * 1000), audience: aud });
    expect(payload.aud).toBe(aud);
  });
  it.each([
    ['signed by another key', async () => joseToken({ aud, exp: NOW + 60 }, OTHER), 'bad-signature'],
    ['expired beyond the 5-minute skew', async () => joseToken({ aud, exp: NOW - 301 }), 'expired'],
    ['not valid before a time beyond the skew', async () => joseToken({ aud, exp: NOW + 900, nbf: NOW + 301 }), 'not-yet-valid'],
    ['without exp', async () => joseToken({ aud }), 'missing-exp'],
    ['for another audience', async () => joseToken({ aud: 'http://127.0.0.1:8080/client/hubs/other', exp: NOW + 60 }), 'wrong-audience'],
    ['with alg none', async () => new UnsecuredJWT({ aud, exp: NOW + 60 }).encode(), 'unsupported-algorithm'],
    ['that is not a JWT', async () => 'not.a.jwt!', 'malformed'],
  ])('rejects a token %s', async (_name, make, reason) => {
    expect(verifyHs256(await make(), { keys: [KEY], audience, now: NOW })).toEqual({ ok: false, reason });
  });
  it('tolerates exp within the clock skew', async () => {
    expect(verifyHs256(await joseToken({ aud, exp: NOW - 200 }), { keys: [KEY], audience, now: NOW }).ok).toBe(true);
  });
});

describe('claimAsArray', () => {
  it('accepts a string or an array of strings', () => {
    expect(claimAsArray('a')).toEqual(['a']);
    expect(claimAsArray(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(claimAsArray(undefined)).toEqual([]);
  });
});
