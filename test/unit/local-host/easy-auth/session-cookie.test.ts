import {
  clearedSessionCookie,
  createSessionSealer,
  readCookie,
  SESSION_LIFETIME_SECONDS,
  sessionCookie,
} from '../../../../local-host/easy-auth/session-cookie';
import { alternateSpellings } from '../../../support/token-spellings';

const alice = { name: 'alice', oid: '11111111-1111-5111-8111-111111111111', sub: 'sub-alice' };

describe('session cookie', () => {
  it('opens what it sealed, with the identity and an 8-hour lifetime', () => {
    const sealer = createSessionSealer();
    const session = sealer.create(alice, 1_000_000_000_000);
    expect(session).toMatchObject({ ...alice, iat: 1_000_000_000, exp: 1_000_000_000 + SESSION_LIFETIME_SECONDS });
    expect(sealer.open(sealer.seal(session), 1_000_000_000_000)).toEqual(session);
  });

  it('refuses a cookie whose payload was changed (a forged identity)', () => {
    const sealer = createSessionSealer();
    const sealed = sealer.seal(sealer.create(alice));
    const [, mac] = sealed.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(sealed.split('.')[0]!, 'base64url').toString()), name: 'mallory' })).toString(
      'base64url',
    );
    expect(sealer.open(`${forgedPayload}.${mac}`)).toBeUndefined();
  });

  it('accepts only the canonical spelling of the MAC (not its 3 alternate last characters, nor skipped characters)', () => {
    const sealer = createSessionSealer();
    const session = sealer.create(alice);
    const sealed = sealer.seal(session);
    expect(sealer.open(sealed)).toEqual(session);
    const variants = alternateSpellings(sealed);
    expect(variants).toHaveLength(3);
    for (const v of variants) expect(sealer.open(v)).toBeUndefined();
    expect(sealer.open(`${sealed}!`)).toBeUndefined();
  });

  it('refuses a cookie sealed by another process (another key)', () => {
    const sealed = createSessionSealer().seal(createSessionSealer().create(alice));
    expect(createSessionSealer().open(sealed)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abc'],
    ['two dots', 'a.b.c'],
    ['not base64 JSON', 'e30.AAAA'],
    ['huge', 'a'.repeat(5000) + '.b'],
  ])('refuses a malformed cookie (%s)', (_why, value) => {
    expect(createSessionSealer().open(value)).toBeUndefined();
  });

  it('refuses an expired session', () => {
    const sealer = createSessionSealer();
    const session = sealer.create(alice, 0);
    expect(sealer.open(sealer.seal(session), (SESSION_LIFETIME_SECONDS - 1) * 1000)).toBeDefined();
    expect(sealer.open(sealer.seal(session), SESSION_LIFETIME_SECONDS * 1000)).toBeUndefined();
  });

  it('refuses a session that was signed out, even with the cookie kept', () => {
    const sealer = createSessionSealer();
    const session = sealer.create(alice);
    const sealed = sealer.seal(session);
    sealer.end(session);
    expect(sealer.open(sealed)).toBeUndefined();
    // Another session of the same person is unaffected.
    const again = sealer.create(alice);
    expect(sealer.open(sealer.seal(again))).toEqual(again);
  });

  it('reads one cookie among several', () => {
    expect(readCookie('a=1; AppServiceAuthSession=x.y; b=2', 'AppServiceAuthSession')).toBe('x.y');
    expect(readCookie('AppServiceAuthSessionX=1', 'AppServiceAuthSession')).toBeUndefined();
    expect(readCookie(undefined, 'AppServiceAuthSession')).toBeUndefined();
  });

  it('sets HttpOnly and SameSite=Lax always, Secure only over https, and clears with Max-Age=0', () => {
    expect(sessionCookie('v', false)).toBe(`AppServiceAuthSession=v; Path=/; Max-Age=${SESSION_LIFETIME_SECONDS}; HttpOnly; SameSite=Lax`);
    expect(sessionCookie('v', true)).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    expect(clearedSessionCookie(true)).toMatch(/^AppServiceAuthSession=; Path=\/; Max-Age=0; .*HttpOnly; SameSite=Lax; Secure$/);
  });
});
