import { answerIdentityRequest } from '../../../../emulator/entra/identity-endpoint';
import type { LocalAuthority } from '../../../../emulator/entra/authority';
import { decodeJwt } from 'jose';
import { authority, APP, APP_REG, OTHER, SERVICE } from '../../../support/entra-authority';

let a: LocalAuthority;
beforeAll(async () => {
  a = await authority();
});

const HEADER = 'identity-header-0123456789';
const ask = (params: Record<string, string>, identityHeader: string | null = HEADER, method = 'GET') =>
  answerIdentityRequest(
    {
      method,
      query: new URLSearchParams({ 'api-version': '2019-08-01', resource: 'https://webpubsub.azure.com', ...params }),
      identityHeader: identityHeader ?? undefined,
    },
    a,
  );

test('client_id selects a user-assigned identity: 200 with the App Service body (expires_on in epoch seconds, as a string)', async () => {
  const res = await ask({ client_id: APP.clientId });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    access_token: expect.any(String),
    expires_on: expect.stringMatching(/^\d{10}$/),
    resource: 'https://webpubsub.azure.com',
    token_type: 'Bearer',
    client_id: APP.clientId,
  });
  expect(decodeJwt(res.body.access_token as string)).toMatchObject({ oid: APP.principalId, appid: APP.clientId, aud: 'https://webpubsub.azure.com' });
});

test('principal_id (and object_id, which MSAL sends) select by object id; ids compare case-insensitively', async () => {
  for (const key of ['principal_id', 'object_id']) {
    const res = await ask({ [key]: OTHER.principalId.toUpperCase() });
    expect(res.status).toBe(200);
    expect(res.body.client_id).toBe(OTHER.clientId);
  }
});

test('the token version and audience follow the resource', async () => {
  const res = await ask({ client_id: APP.clientId, resource: `api://${APP_REG}` });
  expect(decodeJwt(res.body.access_token as string)).toMatchObject({ aud: APP_REG, ver: '2.0', azp: APP.clientId });
});

test('refusals: header missing or wrong 401; bad api-version, no resource, no or unknown identity, two selectors, unknown resource 400; POST 405', async () => {
  expect((await ask({ client_id: APP.clientId }, null)).status).toBe(401);
  expect((await ask({ client_id: APP.clientId }, 'identity-header-0123456780')).status).toBe(401);
  expect((await ask({ client_id: APP.clientId, 'api-version': '2017-09-01' })).status).toBe(400);
  expect((await ask({ client_id: APP.clientId, resource: '' })).status).toBe(400);
  expect((await ask({})).body.message).toMatch(/No system-assigned managed identity/);
  expect((await ask({ client_id: SERVICE.clientId })).body).toMatchObject({
    statusCode: 400,
    message: 'No Managed Identity found for specified ClientId/ResourceId/PrincipalId.',
  });
  expect((await ask({ client_id: APP.clientId, principal_id: APP.principalId })).status).toBe(400);
  const unknown = await ask({ client_id: APP.clientId, resource: 'api://nobody' });
  expect(unknown.status).toBe(400);
  expect(unknown.body.message).toMatch(/AADSTS500011/);
  expect((await ask({ client_id: APP.clientId }, HEADER, 'POST')).status).toBe(405);
});
