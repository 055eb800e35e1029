import { createEventHandler } from '../../../../functions/event-handler';
import { defineHub } from '../../../../shared/hub/hub-definition';
import { createRuntime } from '../../../../shared/config/app-runtime';
import { loadConfig } from '../../../../shared/config/app-config';
import { bodyText, eventHeaders, fakeService, invocation, jwksServer, request, runtimeFor } from '../../../support/functions-harness';

const CONNECT = 'azure.webpubsub.sys.connect';

describe('event authentication with access keys (docs/protocol/cloud-events.md §4)', () => {
  const calls: string[] = [];
  const hub = defineHub({ name: 'chat', onConnect: () => void calls.push('connect') });
  const handler = createEventHandler(runtimeFor({ WebPubSubSecondaryAccessKey: 'second-key' }, { hubDefinitions: [hub], serviceFor: () => fakeService() }));
  const post = async (headers: Record<string, string>) => (await handler(request({ method: 'POST', headers, body: '{}' }), invocation().context))!;

  beforeEach(() => {
    calls.length = 0;
  });
  it('accepts the primary key', async () => {
    expect((await post(eventHeaders(CONNECT))).status).toBe(204);
    expect(calls).toEqual(['connect']);
  });
  it('accepts the secondary key (rotation)', async () => {
    expect((await post(eventHeaders(CONNECT, { key: 'second-key' }))).status).toBe(204);
  });
  it('401 for a missing or wrong signature, and the hub never runs', async () => {
    const missing = await post(eventHeaders(CONNECT, { key: null }));
    const wrong = await post(eventHeaders(CONNECT, { key: 'attacker-key' }));
    expect(missing.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(bodyText(wrong)).toMatch(/ce-signature/);
    expect(calls).toEqual([]);
  });
  it('a signature for another connection id does not work', async () => {
    const headers = eventHeaders(CONNECT, { connectionId: 'victim' });
    headers['ce-signature'] = eventHeaders(CONNECT, { connectionId: 'mine' })['ce-signature']!;
    expect((await post(headers)).status).toBe(401);
  });
  it('400 for missing headers comes before anything else', async () => {
    const headers = eventHeaders(CONNECT);
    delete headers['ce-type'];
    expect((await post(headers)).status).toBe(400);
  });
});

describe("Web PubSub on access keys beside keyless SignalR: the event handler follows Web PubSub's own settings", () => {
  // SignalR's upstream token settings are its own: they must not make /api/eventhandler demand an Entra token.
  const calls: string[] = [];
  const hub = defineHub({ name: 'chat', onConnect: () => void calls.push('connect') });
  const handler = createEventHandler(
    runtimeFor(
      {
        AzureSignalRConnectionString__serviceUri: 'https://s.service.signalr.net',
        SignalRUpstreamTokenTenantId: '99999999-8888-7777-6666-555555555555',
        SignalRUpstreamTokenAudience: 'api://app',
        SignalRUpstreamTokenCallerObjectId: '11111111-2222-3333-4444-555555555555',
      },
      { hubDefinitions: [hub], serviceFor: () => fakeService() },
    ),
  );
  it('accepts an event signed with the access key and no bearer token', async () => {
    const res = (await handler(request({ method: 'POST', headers: eventHeaders(CONNECT), body: '{}' }), invocation().context))!;
    expect(res.status).toBe(204);
    expect(calls).toEqual(['connect']);
  });
});

describe('keyless: Microsoft Entra token on events (docs/protocol/cloud-events.md §9)', () => {
  const TENANT = '99999999-8888-7777-6666-555555555555';
  const OID = '11111111-2222-3333-4444-555555555555';
  let idp: Awaited<ReturnType<typeof jwksServer>>;
  let handler: ReturnType<typeof createEventHandler>;
  const iss = `https://login.microsoftonline.com/${TENANT}/v2.0`;
  beforeAll(async () => {
    idp = await jwksServer();
    const config = loadConfig({
      WebPubSubConnectionString__serviceUri: 'https://contoso.webpubsub.azure.com',
      EventHandlerTokenTenantId: TENANT,
      EventHandlerTokenAudience: 'api://wps-upstream',
      EventHandlerTokenCallerObjectId: OID,
      EventHandlerTokenJwksUrl: idp.url,
      NegotiateAuth: 'easyauth',
    });
    handler = createEventHandler(createRuntime(config, { serviceFor: () => fakeService() }));
  });
  afterAll(() => idp.close());
  const post = async (auth?: string) => {
    const headers = eventHeaders(CONNECT, { key: null, userId: 'alice' });
    if (auth) headers.authorization = auth;
    return (await handler(request({ method: 'POST', headers, body: '{}' }), invocation().context))!;
  };

  it('accepts a token from our tenant for our audience and caller', async () => {
    expect((await post(`Bearer ${await idp.sign({ iss, aud: 'api://wps-upstream', oid: OID, tid: TENANT })}`)).status).toBe(204);
  });
  it.each<[string, Record<string, unknown>]>([
    ['another caller', { iss, aud: 'api://wps-upstream', oid: '00000000-0000-0000-0000-000000000000' }],
    ['wrong audience', { iss, aud: 'https://webpubsub.azure.com', oid: OID }],
    ['another issuer', { iss: 'https://login.microsoftonline.com/other/v2.0', aud: 'api://wps-upstream', oid: OID }],
  ])('401 for %s', async (_n, claims) => {
    expect((await post(`Bearer ${await idp.sign(claims)}`)).status).toBe(401);
  });
  it('401 without a token (a ce-signature alone means nothing here)', async () => {
    expect((await post()).status).toBe(401);
  });
});
