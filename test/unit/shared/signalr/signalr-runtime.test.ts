import { loadConfig } from '../../../../shared/config/app-config';
import { signConnectionId } from '../../../../shared/auth/upstream-signature';
import { createSignalRRuntime } from '../../../../shared/signalr/signalr-runtime';
import { jwksServer } from '../../../support/functions-harness';

/**
 * The SignalR upstream check (docs/protocol/signalr.md §5.4, §6.4) follows SignalR's own settings: its access keys
 * (X-ASRS-Signature) and its SignalRUpstreamToken* settings, never the Web PubSub EventHandlerToken* ones.
 */

const TENANT = '99999999-8888-7777-6666-555555555555';
const SIGNALR_OID = '0b1ec7e5-0000-4000-8000-00000000e001';
const WPS_OID = '0b1ec7e5-0000-4000-8000-00000000b001';
const KEY = 'signalr-access-key';
const WPS_KEYS = 'Endpoint=http://localhost;Port=8080;AccessKey=k;Version=1.0;';

let idp: Awaited<ReturnType<typeof jwksServer>>;
beforeAll(async () => {
  idp = await jwksServer();
});
afterAll(() => idp.close());

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name.toLowerCase()] ?? null });
const iss = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const token = (oid: string) => idp.sign({ iss, aud: 'api://app', oid, tid: TENANT });
const signalrToken = () => ({
  SignalRUpstreamTokenTenantId: TENANT,
  SignalRUpstreamTokenAudience: 'api://app',
  SignalRUpstreamTokenCallerObjectId: SIGNALR_OID,
  SignalRUpstreamTokenJwksUrl: idp.url,
});
const runtime = (env: Record<string, string>) =>
  createSignalRRuntime(loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: WPS_KEYS, ...env }), async () => 'alice', {
    temporaryKey: async () => ({ keyId: 'kid', accessKey: 'temporary' }),
  });

describe('SignalR upstream authentication', () => {
  it('on keys with SignalRUpstreamToken* set: the signature alone is refused, signature + token of the SignalR identity pass', async () => {
    const auth = runtime({
      AzureSignalRConnectionString: `Endpoint=https://s.service.signalr.net;AccessKey=${KEY};Version=1.0;`,
      ...signalrToken(),
    }).authenticateUpstream;
    const signature = signConnectionId('c1', [KEY]);
    await expect(auth(headers({ 'x-asrs-signature': signature }), 'c1')).rejects.toMatchObject({ status: 401 });
    await expect(auth(headers({ 'x-asrs-signature': signature, authorization: `Bearer ${await token(SIGNALR_OID)}` }), 'c1')).resolves.toBeUndefined();
  });

  it('keyless: checks the token with its own settings, whatever the Web PubSub event handler is configured with', async () => {
    const auth = runtime({
      AzureSignalRConnectionString__serviceUri: 'https://s.service.signalr.net',
      ...signalrToken(),
      // Web PubSub's own check, for its own identity: it must not leak into SignalR's.
      EventHandlerTokenTenantId: TENANT,
      EventHandlerTokenAudience: 'api://app',
      EventHandlerTokenCallerObjectId: WPS_OID,
      EventHandlerTokenJwksUrl: idp.url,
    }).authenticateUpstream;
    await expect(auth(headers({ authorization: `Bearer ${await token(SIGNALR_OID)}` }), 'c1')).resolves.toBeUndefined();
    await expect(auth(headers({ authorization: `Bearer ${await token(WPS_OID)}` }), 'c1')).rejects.toMatchObject({ status: 401 });
    await expect(auth(headers({}), 'c1')).rejects.toMatchObject({ status: 401 });
  });

  it('on keys without token settings: the signature is the check', async () => {
    const auth = runtime({ AzureSignalRConnectionString: `Endpoint=https://s.service.signalr.net;AccessKey=${KEY};Version=1.0;` }).authenticateUpstream;
    await expect(auth(headers({ 'x-asrs-signature': signConnectionId('c1', [KEY]) }), 'c1')).resolves.toBeUndefined();
    await expect(auth(headers({}), 'c1')).rejects.toMatchObject({ status: 401 });
  });
});
