import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { authority, APP, APP_REG, BASE, TENANT } from '../../../support/entra-authority';

test('a v1 token verifies against the published JWKS; header alg RS256 with kid and x5t (the certificate thumbprint)', async () => {
  const a = await authority();
  const t = await a.issue(APP, 'https://webpubsub.azure.com');
  const header = decodeProtectedHeader(t.accessToken);
  expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: a.kid, x5t: a.kid });
  const { payload } = await jwtVerify(t.accessToken, createLocalJWKSet(a.jwks()), { issuer: `${BASE}/${TENANT}/`, audience: 'https://webpubsub.azure.com' });
  expect(payload.oid).toBe(APP.principalId);
  expect(t.expiresOn - (payload.iat as number)).toBe(86_400);
});

test('a v2 token has no x5t header and the v2 issuer', async () => {
  const a = await authority();
  const t = await a.issue(APP, APP_REG);
  expect(decodeProtectedHeader(t.accessToken)).not.toHaveProperty('x5t');
  await expect(jwtVerify(t.accessToken, createLocalJWKSet(a.jwks()), { issuer: a.issuerV2, audience: APP_REG })).resolves.toBeDefined();
});

test('JWKS: one RSA signing key with x5c; OpenID configuration names the issuer and the keys URL of each version', async () => {
  const a = await authority();
  const [key] = a.jwks().keys;
  expect(key).toMatchObject({ kty: 'RSA', use: 'sig', kid: a.kid, x5t: a.kid, e: 'AQAB' });
  expect(key!.x5c).toHaveLength(1);
  expect(key).not.toHaveProperty('d');
  expect(a.openIdConfiguration(2)).toMatchObject({
    issuer: `${BASE}/${TENANT}/v2.0`,
    jwks_uri: `${BASE}/${TENANT}/discovery/v2.0/keys`,
    id_token_signing_alg_values_supported: ['RS256'],
  });
  expect(a.openIdConfiguration(1)).toMatchObject({ issuer: `${BASE}/${TENANT}/`, jwks_uri: `${BASE}/${TENANT}/discovery/keys` });
});

test('the configured lifetime and clock are used', async () => {
  const a = await authority({ tokenLifetimeSeconds: 3 }, () => 2_000_000);
  const t = await a.issue(APP, 'https://webpubsub.azure.com');
  expect(t.expiresOn).toBe(2_000_003);
});
