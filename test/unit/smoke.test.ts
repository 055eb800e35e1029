import { SignJWT, jwtVerify } from 'jose';

test('jose (ESM-only) loads under jest and round-trips an HS256 token', async () => {
  const key = new TextEncoder().encode('k'.repeat(32));
  const token = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'HS256' }).sign(key);
  const { payload } = await jwtVerify(token, key);
  expect(payload.a).toBe(1);
});
