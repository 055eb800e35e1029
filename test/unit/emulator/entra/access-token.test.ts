import { accessTokenClaims, issuerV1, issuerV2, resolveResource, UnknownResourceError } from '../../../../emulator/entra/access-token';
import { APP, APP_REG, TENANT } from '../../../support/entra-authority';

const apps = [
  { appId: APP_REG, identifierUris: [`api://${APP_REG}`], accessTokenVersion: 2 as const },
  { appId: '99999999-9999-4999-8999-999999999999', identifierUris: ['api://v1-api'], accessTokenVersion: 1 as const },
];
const fixed = () => Buffer.alloc(24, 7);

describe('resolveResource', () => {
  test('Web PubSub is a first-party v1 resource; a trailing slash or /.default is accepted', () => {
    for (const r of ['https://webpubsub.azure.com', 'https://webpubsub.azure.com/', 'https://webpubsub.azure.com/.default']) {
      expect(resolveResource(r, apps, TENANT)).toEqual({ audience: 'https://webpubsub.azure.com', version: 1 });
    }
  });
  test('so is SignalR Service (https://signalr.azure.com/.default, docs/protocol/signalr.md §6.1)', () => {
    expect(resolveResource('https://signalr.azure.com/.default', apps, TENANT)).toEqual({ audience: 'https://signalr.azure.com', version: 1 });
  });
  test('an app asking for v2 tokens gets aud = its appId, whether named by appId or identifier URI', () => {
    expect(resolveResource(APP_REG, apps, TENANT)).toEqual({ audience: APP_REG, version: 2 });
    expect(resolveResource(`api://${APP_REG}`, apps, TENANT)).toEqual({ audience: APP_REG, version: 2 });
  });
  test('a v1 app gets aud as requested', () => {
    expect(resolveResource('api://v1-api', apps, TENANT)).toEqual({ audience: 'api://v1-api', version: 1 });
  });
  test('an unknown resource fails as Entra does (AADSTS500011)', () => {
    expect(() => resolveResource('api://nobody', apps, TENANT)).toThrow(UnknownResourceError);
    expect(() => resolveResource('api://nobody', apps, TENANT)).toThrow(/AADSTS500011.*api:\/\/nobody.*11111111/);
  });
});

describe('accessTokenClaims', () => {
  const base = {
    authority: 'https://localhost:8443/',
    tenantId: TENANT,
    identity: { ...APP, resourceId: '/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api' },
    now: 1_000_000,
    lifetimeSeconds: 60,
    random: fixed,
  };

  test('v1: the sts.windows.net-form issuer, appid/appidacr/idp, ver 1.0', () => {
    const c = accessTokenClaims({ ...base, resource: { audience: 'https://webpubsub.azure.com', version: 1 } });
    expect(c).toMatchObject({
      aud: 'https://webpubsub.azure.com',
      iss: `https://localhost:8443/${TENANT}/`,
      idp: `https://localhost:8443/${TENANT}/`,
      iat: 1_000_000,
      nbf: 1_000_000,
      exp: 1_000_060,
      appid: APP.clientId,
      appidacr: '2',
      idtyp: 'app',
      oid: APP.principalId,
      sub: APP.principalId,
      tid: TENANT,
      ver: '1.0',
      xms_mirid: base.identity.resourceId,
    });
    expect(c).not.toHaveProperty('azp');
    expect(c.uti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(c.aio).toEqual(expect.any(String));
    expect(c.rh).toMatch(/^0\..+\.$/);
  });

  test('v2: the login.microsoftonline.com-form issuer, azp/azpacr, ver 2.0, no appid', () => {
    const c = accessTokenClaims({ ...base, resource: { audience: APP_REG, version: 2 } });
    expect(c).toMatchObject({
      aud: APP_REG,
      iss: `https://localhost:8443/${TENANT}/v2.0`,
      azp: APP.clientId,
      azpacr: '2',
      ver: '2.0',
      oid: APP.principalId,
      sub: APP.principalId,
    });
    expect(c).not.toHaveProperty('appid');
    expect(c).not.toHaveProperty('idp');
  });

  test('issuers mirror the Azure forms under the local authority', () => {
    expect(issuerV1('https://login.microsoftonline.com/', TENANT)).toBe(`https://login.microsoftonline.com/${TENANT}/`);
    expect(issuerV2('https://login.microsoftonline.com/', TENANT)).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0`);
  });
});
