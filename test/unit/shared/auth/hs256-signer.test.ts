import { createSecretKey } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { createHs256Signer } from '../../../../shared/auth/hs256-signer';
import { isCanonicalCompactJws } from '../../../../shared/auth/jwt-encoding';

const KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH';

describe('createHs256Signer', () => {
  it('signs a token that jose verifies under the key’s UTF-8 bytes, with the SDK’s header and the claims in order', async () => {
    const token = createHs256Signer(KEY)({ role: ['r'], aud: 'http://localhost/client/hubs/chat', sub: 'ü', iat: 1, exp: 4102444800 });
    expect(isCanonicalCompactJws(token)).toBe(true);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, createSecretKey(Buffer.from(KEY, 'utf8')), { audience: 'http://localhost/client/hubs/chat' });
    expect(payload).toEqual({ role: ['r'], aud: 'http://localhost/client/hubs/chat', sub: 'ü', iat: 1, exp: 4102444800 });
    expect(Object.keys(payload)).toEqual(['role', 'aud', 'sub', 'iat', 'exp']);
  });

  it('produces a signature no other key verifies', async () => {
    const token = createHs256Signer(KEY)({ exp: 4102444800 });
    await expect(jwtVerify(token, createSecretKey(Buffer.from(`${KEY}x`, 'utf8')))).rejects.toThrow();
  });
});
