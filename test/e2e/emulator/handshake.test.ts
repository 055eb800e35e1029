import { signHs256 } from '../../../emulator/auth/hs256';
import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, FakeUpstream, KEY, RawClient, start } from '../../support/emulator-harness';

describe('client handshake', () => {
  let emulator: RunningEmulator;
  let upstream: FakeUpstream;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    upstream = new FakeUpstream();
    const base = await upstream.listen();
    emulator = await start({
      hubs: {
        guarded: { eventHandlers: [{ urlTemplate: `${base}/{hub}/{event}`, systemEvents: ['connect'] }] },
        open: { anonymousConnectPolicy: 'allow' },
      },
    });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await emulator.close();
    await upstream.close();
  });

  const ws = (path: string) => `ws://localhost:${emulator.port}${path}`;
  const now = () => Math.floor(Date.now() / 1000);
  const token = (claims: Record<string, unknown>, key = KEY) =>
    signHs256({ aud: `http://localhost:${emulator.port}/client/hubs/chat`, exp: now() + 60, ...claims }, key);

  it.each([
    ['no token', '/client/hubs/chat'],
    ['a token signed with another key', `/client/hubs/chat?access_token=${signHs256({ aud: 'x', exp: 1e10 }, 'other-key-0123456789')}`],
    ['a malformed token', '/client/hubs/chat?access_token=not.a.jwt'],
  ])('answers 401 before the upgrade for %s', async (_name, path) => {
    expect(await RawClient.refusal(ws(path))).toBe(401);
  });

  it('answers 401 for a token for another hub (wrong audience)', async () => {
    expect(await RawClient.refusal(ws(`/client/hubs/other?access_token=${token({})}`))).toBe(401);
  });

  it('answers 401 for a token that expired beyond the 5-minute skew', async () => {
    expect(await RawClient.refusal(ws(`/client/hubs/chat?access_token=${token({ exp: now() - 301 })}`))).toBe(401);
  });

  it('accepts a token that expired within the 5-minute skew', async () => {
    clients.push(await RawClient.open(ws(`/client/hubs/chat?access_token=${token({ exp: now() - 100 })}`)));
    expect(clients[0]!.ws.readyState).toBe(1);
  });

  it('accepts the token in an Authorization header and the query form of the URL', async () => {
    const c = await RawClient.open(ws('/client/?hub=chat'), 'json.webpubsub.azure.v1', { headers: { Authorization: `Bearer ${token({ sub: 'h' })}` } });
    clients.push(c);
    expect(await c.json(0)).toMatchObject({ type: 'system', event: 'connected', userId: 'h' });
  });

  it('treats hub names case-insensitively (token for chat, URL for CHAT)', async () => {
    const c = await RawClient.open(ws(`/client/hubs/CHAT?access_token=${token({})}`), 'json.webpubsub.azure.v1');
    clients.push(c);
    expect((await c.json(0)).event).toBe('connected');
  });

  it('answers 400 for an invalid hub name, an invalid group claim and a bad simple-client mode', async () => {
    expect(await RawClient.refusal(ws(`/client/hubs/1bad?access_token=${token({})}`))).toBe(400);
    expect(await RawClient.refusal(ws(`/client/hubs/chat?access_token=${token({ 'webpubsub.group': ['  '] })}`))).toBe(400);
    expect(await RawClient.refusal(ws(`/client/hubs/chat?webpubsub_mode=broadcast&access_token=${token({})}`))).toBe(400);
    expect(await RawClient.refusal(ws(`/client/hubs/chat?webpubsub_mode=sendToGroup&access_token=${token({})}`))).toBe(400);
  });

  it('refuses protobuf-only clients with 400 and echoes the JSON subprotocol it picks', async () => {
    expect(await RawClient.refusal(ws(`/client/hubs/chat?access_token=${token({})}`), 'protobuf.webpubsub.azure.v1')).toBe(400);
    const c = await RawClient.open(ws(`/client/hubs/chat?access_token=${token({})}`), ['protobuf.webpubsub.azure.v1', 'json.webpubsub.azure.v1']);
    clients.push(c);
    expect(c.ws.protocol).toBe('json.webpubsub.azure.v1');
  });

  it('lets anonymous clients in only where anonymousConnectPolicy is allow', async () => {
    expect(await RawClient.refusal(ws('/client/hubs/chat'))).toBe(401);
    const c = await RawClient.open(ws('/client/hubs/open'), 'json.webpubsub.azure.v1');
    clients.push(c);
    expect(await c.json(0)).toMatchObject({ event: 'connected', userId: null });
  });

  it('passes a 4xx from the connect handler through as the handshake status', async () => {
    upstream.reply = () => ({ status: 403, body: 'no' });
    const url = (await clientUrl(emulator, 'guarded', { userId: 'x' })).replace('localhost', '127.0.0.1');
    expect(await RawClient.refusal(url)).toBe(403);
  });

  it('answers 500 when the connect handler fails', async () => {
    upstream.reply = () => ({ status: 503 });
    expect(await RawClient.refusal(await clientUrl(emulator, 'guarded'))).toBe(500);
  });

  it('sends the connect event with string-array claims and query, without the token or Authorization', async () => {
    upstream.reply = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'from-handler', groups: ['g9'] }) });
    const url = `${await clientUrl(emulator, 'guarded', { userId: 'alice', roles: ['webpubsub.joinLeaveGroup'] })}&foo=bar`;
    const c = await RawClient.open(url, 'json.webpubsub.azure.v1');
    clients.push(c);
    const connected = await c.json(0);
    expect(connected).toMatchObject({ type: 'system', event: 'connected', userId: 'from-handler' });
    const event = await upstream.waitForEvent((e) => e.headers['ce-connectionid'] === connected.connectionId);
    const body = JSON.parse(event.body.toString());
    expect(event.headers['ce-type']).toBe('azure.webpubsub.sys.connect');
    expect(event.headers['ce-id']).toBe('0');
    expect(event.headers['ce-subprotocol']).toBeUndefined();
    expect(body.claims.sub).toEqual(['alice']);
    expect(body.claims.role).toEqual(['webpubsub.joinLeaveGroup']);
    expect(body.query).toEqual({ foo: ['bar'] });
    expect(Object.keys(body.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    expect(body.subprotocols).toEqual(['json.webpubsub.azure.v1']);
    expect(body.clientCertificates).toEqual([]);
    expect(emulator.ops.groupExists('guarded', 'g9')).toBe(true);
  });

  it('rejects a handler-selected subprotocol the client did not offer with 500', async () => {
    upstream.reply = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subprotocol: 'mine' }) });
    expect(await RawClient.refusal(await clientUrl(emulator, 'guarded'), 'json.webpubsub.azure.v1')).toBe(500);
  });

  it('accepts a custom subprotocol selected by the connect handler as a simple client', async () => {
    upstream.reply = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subprotocol: 'mine' }) });
    const c = await RawClient.open(await clientUrl(emulator, 'guarded'), ['mine', 'other']);
    clients.push(c);
    expect(c.ws.protocol).toBe('mine');
    emulator.ops.sendToAll('guarded', { dataType: 'text', data: Buffer.from('raw') });
    expect((await c.frame(0)).data.toString()).toBe('raw');
  });
});
