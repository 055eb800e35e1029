import { SignJWT } from 'jose';
import { UnauthorizedError } from '../../../../shared/http/errors';
import { isCanonicalBase64url, isCanonicalCompactJws } from '../../../../shared/auth/jwt-encoding';
import { createJwtVerifier } from '../../../../shared/auth/jwt-verifier';
import { alternateSpellings } from '../../../support/token-spellings';

describe('isCanonicalCompactJws', () => {
  it('needs three canonical segments', () => {
    expect(isCanonicalBase64url('QUE')).toBe(true);
    expect(isCanonicalBase64url('QUF')).toBe(false);
    expect(isCanonicalCompactJws('QUE.QUE.QUE')).toBe(true);
    expect(isCanonicalCompactJws('QUE.QUE.QUF')).toBe(false);
    expect(isCanonicalCompactJws('QUE.QUE')).toBe(false);
    expect(isCanonicalCompactJws('QUE.QUE.QUE=')).toBe(false);
  });
});

describe('createJwtVerifier (HS256 secret) with the other spellings of a signature', () => {
  const SECRET = 's'.repeat(32);
  const verify = createJwtVerifier({ secret: SECRET, issuers: ['https://idp.example/'], audience: 'api://chat' });

  it('accepts the canonical token and refuses its 3 alternate spellings (jose alone accepts them)', async () => {
    const token = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://idp.example/')
      .setAudience('api://chat')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verify(token)).resolves.toMatchObject({ sub: 'alice' });
    const variants = alternateSpellings(token);
    expect(variants).toHaveLength(3);
    for (const v of variants) {
      const error = await verify(v).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect((error as Error).message).toBe('invalid token: the token is malformed');
    }
  });
});
