/**
 * The SignalR emulator alone in keyless mode (`--service signalr --entra --disable-local-auth`): its own
 * local Microsoft Entra authority, TLS, the role each call needs, `:generateToken` and the temporary key
 * of GET /api/auth/accessKey both giving client tokens the client endpoint accepts, and no access key anywhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import { parseEntraSettings, type ManagedIdentity } from '../../../emulator/entra/entra-settings';
import { startSignalREmulator, type RunningSignalREmulator } from '../../../emulator/signalr/signalr-server';
import { loadOrCreateLocalCa, type LocalCa } from '../../../emulator/tls/local-ca';
import { httpsRequest } from '../../support/keyless-stack';

jest.setTimeout(60_000);

const identity = (n: number, name: string): ManagedIdentity => ({
  name,
  clientId: `1d0c1e55-0000-4000-8000-00000000000${n}`,
  principalId: `0b1ec7e5-0000-4000-8000-00000000000${n}`,
});
const OWNER = identity(1, 'owner');
const APP_SERVER = identity(2, 'app server');
const REST_OWNER = identity(3, 'rest owner');
const READER = identity(4, 'reader');
const NO_ROLE = identity(5, 'no role');

let dir: string;
let ca: LocalCa;
let emu: RunningSignalREmulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signalr-keyless-'));
  ca = await loadOrCreateLocalCa(dir);
  const settings = parseEntraSettings({
    managedIdentities: [OWNER, APP_SERVER, REST_OWNER, READER, NO_ROLE],
    roleAssignments: [
      { principalId: OWNER.principalId, roleDefinitionName: 'SignalR Service Owner' },
      { principalId: APP_SERVER.principalId, roleDefinitionName: 'SignalR App Server' },
      { principalId: REST_OWNER.principalId, roleDefinitionName: 'SignalR REST API Owner' },
      { principalId: READER.principalId, roleDefinitionName: 'SignalR REST API Reader' },
      { principalId: NO_ROLE.principalId, roleDefinitionName: 'Web PubSub Service Owner' },
    ],
  });
  emu = await startSignalREmulator({
    port: 0,
    keys: ['an-access-key-that-must-not-work-0123456789'],
    disableLocalAuth: true,
    tls: { cert: ca.serverCertPem, key: ca.serverKeyPem },
    entra: { settings, signing: { keyPem: ca.signingKeyPem, certPem: ca.signingCertPem } },
  });
});

afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const tokenOf = async (who: ManagedIdentity) => `Bearer ${(await emu.authority!.issue(who, 'https://signalr.azure.com/.default')).accessToken}`;
const call = (method: string, path: string, authorization: string) =>
  httpsRequest(`${emu.endpoint}${path}`, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    body: method === 'POST' ? '{"target":"t"}' : undefined,
    ca: ca.caPem,
  });
const negotiate = (clientToken: string) =>
  httpsRequest(`${emu.endpoint}/client/negotiate?hub=chat&negotiateVersion=1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${clientToken}` },
    ca: ca.caPem,
  });

describe('keyless SignalR Service emulator', () => {
  it('serves https with its own authority: the discovery documents are on its port', async () => {
    expect(emu.endpoint).toMatch(/^https:\/\/localhost:\d+$/);
    const keys = await httpsRequest(emu.authority!.jwksUrlV2, { ca: ca.caPem });
    expect(keys.status).toBe(200);
    expect(emu.connectionString).not.toMatch(/AccessKey=/);
  });

  it(':generateToken gives a client token (kid = a temporary key) that the client endpoint accepts', async () => {
    const res = await call('POST', '/api/hubs/chat/:generateToken?userId=ann&minutesToExpire=5&api-version=2024-12-01', await tokenOf(REST_OWNER));
    expect(res.status).toBe(200);
    const { token } = JSON.parse(res.body) as { token: string };
    const answer = await negotiate(token);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ negotiateVersion: 1, connectionToken: expect.any(String) });
  });

  it(":generateToken refuses a minutesToExpire above the service's 32-bit limit with 400 and says why", async () => {
    const res = await call('POST', '/api/hubs/chat/:generateToken?minutesToExpire=2147483648&api-version=2024-12-01', await tokenOf(REST_OWNER));
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/minutesToExpire must be a whole number of minutes from 1 to 2147483647; got '2147483648'/);
  });

  it(":generateToken tokens longer than a temporary key's 90 minutes are signed with a key that lives as long", async () => {
    const res = await call('POST', '/api/hubs/chat/:generateToken?userId=ann&minutesToExpire=600&api-version=2024-12-01', await tokenOf(REST_OWNER));
    expect(res.status).toBe(200);
    const { token } = JSON.parse(res.body) as { token: string };
    const { exp, iat } = decodeJwt(token);
    expect(exp! - iat!).toBe(600 * 60);
    expect((await negotiate(token)).status).toBe(200);
  });

  it('the temporary key from /api/auth/accessKey signs client tokens the service accepts while it is valid', async () => {
    const res = await call('GET', '/api/auth/accessKey?api-version=2024-12-01', await tokenOf(APP_SERVER));
    expect(res.status).toBe(200);
    const { KeyId, AccessKey } = JSON.parse(res.body) as { KeyId: string; AccessKey: string };
    const sign = (kid: string, key: string) =>
      new SignJWT({ nameid: 'ann' })
        .setProtectedHeader({ alg: 'HS256', kid })
        .setAudience(`${emu.endpoint}/client/?hub=chat`)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(key));
    expect((await negotiate(await sign(KeyId, AccessKey))).status).toBe(200);
    expect((await negotiate(await sign(KeyId, 'another key'))).status).toBe(401);
    expect((await negotiate(await sign('unknown-kid', AccessKey))).status).toBe(401);
  });

  it.each<[string, ManagedIdentity, string, string, number]>([
    ['Service Owner may send', OWNER, 'POST', '/api/hubs/chat/:send', 202],
    ['Service Owner may get the temporary key', OWNER, 'GET', '/api/auth/accessKey', 200],
    ['App Server may not send', APP_SERVER, 'POST', '/api/hubs/chat/:send', 403],
    ['App Server may not generate client tokens', APP_SERVER, 'POST', '/api/hubs/chat/:generateToken', 403],
    ['REST API Owner may not get the temporary key', REST_OWNER, 'GET', '/api/auth/accessKey', 403],
    ['REST API Reader may check existence', READER, 'HEAD', '/api/hubs/chat/users/ann', 404],
    ['REST API Reader may not send', READER, 'POST', '/api/hubs/chat/:send', 403],
    ['a Web PubSub role gives nothing here', NO_ROLE, 'POST', '/api/hubs/chat/:send', 403],
  ])('%s', async (_n, who, method, path, status) => {
    expect((await call(method, `${path}?api-version=2024-12-01`, await tokenOf(who))).status).toBe(status);
  });

  it('refuses an access-key REST token and an access-key client token (disableLocalAuth)', async () => {
    const key = new TextEncoder().encode('an-access-key-that-must-not-work-0123456789');
    const rest = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(`${emu.endpoint}/api/hubs/chat/:send`)
      .setExpirationTime('5m')
      .sign(key);
    expect((await call('POST', '/api/hubs/chat/:send?api-version=2024-12-01', `Bearer ${rest}`)).status).toBe(401);
    const client = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setAudience(`${emu.endpoint}/client/?hub=chat`).setExpirationTime('5m').sign(key);
    expect((await negotiate(client)).status).toBe(401);
  });
});
