import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, FakeUpstream, RawClient, start } from '../../support/emulator-harness';

const JSON_PROTOCOL = 'json.webpubsub.azure.v1';

describe('JSON and simple clients (raw ws)', () => {
  let emulator: RunningEmulator;
  let upstream: FakeUpstream;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    upstream = new FakeUpstream();
    const base = await upstream.listen();
    emulator = await start({
      hubs: {
        chat: {
          eventHandlers: [{ urlTemplate: `${base}/api/{hub}/{event}`, userEventPattern: 'message,echo,fail', systemEvents: ['connected', 'disconnected'] }],
        },
      },
    });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    upstream.reply = () => ({ status: 200 });
  });
  afterAll(async () => {
    await emulator.close();
    await upstream.close();
  });

  async function json(options: { userId?: string; roles?: string[]; groups?: string[] } = {}, hub = 'chat'): Promise<{ c: RawClient; id: string }> {
    const c = await RawClient.open(await clientUrl(emulator, hub, options), JSON_PROTOCOL);
    clients.push(c);
    const connected = await c.json(0);
    return { c, id: connected.connectionId as string };
  }

  async function simple(query = '', options: { userId?: string; roles?: string[] } = {}): Promise<RawClient> {
    const c = await RawClient.open(`${await clientUrl(emulator, 'chat', options)}${query}`);
    clients.push(c);
    return c;
  }

  it('joins, sends to a group with fromUserId, and acks each ackId exactly once', async () => {
    const a = await json({ userId: 'alice', roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'] });
    const b = await json({ userId: 'bob', roles: ['webpubsub.joinLeaveGroup.room'] });
    b.c.send({ type: 'joinGroup', group: 'room', ackId: 1 });
    expect(await b.c.json(1)).toEqual({ type: 'ack', ackId: 1, success: true });
    a.c.send({ type: 'sendToGroup', group: 'room', dataType: 'json', data: { x: 1 }, ackId: 7 });
    expect(await a.c.json(1)).toEqual({ type: 'ack', ackId: 7, success: true });
    expect(await b.c.json(2)).toEqual({ type: 'message', from: 'group', group: 'room', fromUserId: 'alice', dataType: 'json', data: { x: 1 } });
  });

  it('answers Forbidden without a role, and Duplicate only for ackIds that succeeded', async () => {
    const a = await json({ userId: 'carol' });
    a.c.send({ type: 'joinGroup', group: 'g', ackId: 5 });
    expect(await a.c.json(1)).toMatchObject({ type: 'ack', ackId: 5, success: false, error: { name: 'Forbidden' } });
    emulator.ops.grantPermission('chat', 'joinLeaveGroup', a.id, 'g');
    // The same ackId again: it failed before, so it is processed, not Duplicate.
    a.c.send({ type: 'joinGroup', group: 'g', ackId: 5 });
    expect(await a.c.json(2)).toEqual({ type: 'ack', ackId: 5, success: true });
    a.c.send({ type: 'leaveGroup', group: 'g', ackId: 5 });
    expect(await a.c.json(3)).toMatchObject({ type: 'ack', ackId: 5, success: false, error: { name: 'Duplicate' } });
    // Duplicate did not execute the leave.
    expect(emulator.ops.groupExists('chat', 'g')).toBe(true);
  });

  it('honours noEcho and sends text and binary data types to JSON and simple receivers', async () => {
    const a = await json({ userId: 'dave', roles: ['webpubsub.sendToGroup', 'webpubsub.joinLeaveGroup'] });
    const s = await simple();
    const sid = await connectionIdOf('chat', s);
    emulator.ops.addConnectionToGroup('chat', 'mix', sid);
    a.c.send({ type: 'joinGroup', group: 'mix', ackId: 1 });
    await a.c.json(1);
    a.c.send({ type: 'sendToGroup', group: 'mix', dataType: 'text', data: 'hello', noEcho: true, ackId: 2 });
    a.c.send({ type: 'sendToGroup', group: 'mix', dataType: 'binary', data: Buffer.from([1, 2, 3]).toString('base64'), ackId: 3 });
    expect(await a.c.json(2)).toMatchObject({ type: 'ack', ackId: 2 });
    // noEcho: the sender's next frame is the binary copy (delivered during the send, before its ack), not the text one.
    expect(await a.c.json(3)).toEqual({ type: 'message', from: 'group', group: 'mix', fromUserId: 'dave', dataType: 'binary', data: 'AQID' });
    expect(await a.c.json(4)).toMatchObject({ type: 'ack', ackId: 3 });
    expect(await s.frame(0)).toEqual({ data: Buffer.from('hello'), isBinary: false });
    expect(await s.frame(1)).toEqual({ data: Buffer.from([1, 2, 3]), isBinary: true });
  });

  it('answers ping with pong and a bad request with ackId with a BadRequest ack', async () => {
    const a = await json();
    a.c.send({ type: 'ping' });
    expect(await a.c.json(1)).toEqual({ type: 'pong' });
    a.c.send({ type: 'sendToGroup', group: 'x', dataType: 'binary', data: '%%%', ackId: 9 });
    expect(await a.c.json(2)).toMatchObject({ type: 'ack', ackId: 9, success: false, error: { name: 'BadRequest' } });
    a.c.send({ type: 'somethingNew' });
    a.c.send({ type: 'somethingNew', ackId: 10 });
    a.c.send({ type: 'ping' });
    expect(await a.c.json(3)).toMatchObject({ type: 'ack', ackId: 10, success: false, error: { name: 'BadRequest' } });
    expect(await a.c.json(4)).toEqual({ type: 'pong' });
  });

  it('closes a JSON client with 1007 for an unparsable frame and 1003 for a binary frame', async () => {
    const a = await json();
    a.c.send('{not json');
    expect((await a.c.closed).code).toBe(1007);
    const b = await json();
    b.c.ws.send(Buffer.from([1, 2]), { binary: true });
    expect((await b.c.closed).code).toBe(1003);
  });

  it('closes with 1009 for a frame over 1 MB', async () => {
    const a = await json();
    a.c.send(JSON.stringify({ type: 'event', event: 'echo', dataType: 'text', data: 'x'.repeat(1024 * 1024) }));
    expect((await a.c.closed).code).toBe(1009);
  });

  it('routes an event upstream and delivers the reply before the ack', async () => {
    upstream.reply = (e) => ({ status: 200, headers: { 'content-type': 'text/plain', 'ce-connectionState': 'st1' }, body: `echo:${e.body.toString()}` });
    const a = await json({ userId: 'erin' });
    a.c.send({ type: 'event', event: 'echo', dataType: 'text', data: 'hi', ackId: 1 });
    expect(await a.c.json(1)).toEqual({ type: 'message', from: 'server', dataType: 'text', data: 'echo:hi' });
    expect(await a.c.json(2)).toEqual({ type: 'ack', ackId: 1, success: true });
    const e = await upstream.waitForEvent((x) => x.headers['ce-eventname'] === 'echo' && x.headers['ce-connectionid'] === a.id);
    expect(e.headers['content-type']).toBe('text/plain');
    expect(e.url).toBe('/api/chat/echo');
    expect(e.headers['ce-userid']).toBe('erin');
    // The state set by the reply travels with the next event.
    upstream.reply = () => ({ status: 204 });
    a.c.send({ type: 'event', event: 'echo', dataType: 'binary', data: 'AAE=', ackId: 2 });
    expect(await a.c.json(3)).toEqual({ type: 'ack', ackId: 2, success: true });
    const second = upstream.events.filter((x) => x.headers['ce-connectionid'] === a.id && x.headers['ce-eventname'] === 'echo')[1]!;
    expect(second.headers['ce-connectionstate']).toBe('st1');
    expect(second.headers['content-type']).toBe('application/octet-stream');
    expect([...second.body]).toEqual([0, 1]);
  });

  it('acks InternalServerError for a failed or unhandled event and keeps the connection', async () => {
    upstream.reply = () => ({ status: 500 });
    const a = await json();
    a.c.send({ type: 'event', event: 'fail', data: { a: 1 }, ackId: 1 });
    expect(await a.c.json(1)).toMatchObject({ ackId: 1, success: false, error: { name: 'InternalServerError' } });
    a.c.send({ type: 'event', event: 'nobody-handles-this', data: 1, ackId: 2 });
    expect(await a.c.json(2)).toMatchObject({ ackId: 2, success: false, error: { name: 'InternalServerError' } });
    a.c.send({ type: 'ping' });
    expect(await a.c.json(3)).toEqual({ type: 'pong' });
  });

  it('processes the events of one client in order', async () => {
    const release: (() => void)[] = [];
    upstream.reply = (e) => (e.body.toString() === '"first"' ? new Promise((r) => release.push(() => r({ status: 204 }))) : { status: 204 });
    const a = await json();
    a.c.send({ type: 'event', event: 'echo', data: 'first', ackId: 1 });
    a.c.send({ type: 'event', event: 'echo', data: 'second', ackId: 2 });
    await upstream.waitForEvent((e) => e.body.toString() === '"first"');
    expect(upstream.events.some((e) => e.body.toString() === '"second"')).toBe(false);
    release[0]!();
    expect(await a.c.json(1)).toMatchObject({ ackId: 1 });
    expect(await a.c.json(2)).toMatchObject({ ackId: 2 });
  });

  it('simple client in sendEvent mode: frames become message events, replies come back raw', async () => {
    upstream.reply = (e) =>
      e.headers['content-type'] === 'text/plain'
        ? { status: 200, headers: { 'content-type': 'text/plain' }, body: `re:${e.body.toString()}` }
        : { status: 200, body: Buffer.from([9, 9]) };
    const s = await simple('', { userId: 'sim' });
    s.send('hello');
    expect(await s.frame(0)).toEqual({ data: Buffer.from('re:hello'), isBinary: false });
    s.ws.send(Buffer.from([1]), { binary: true });
    expect(await s.frame(1)).toEqual({ data: Buffer.from([9, 9]), isBinary: true });
    const ev = await upstream.waitForEvent((e) => e.headers['ce-eventname'] === 'message' && e.headers['content-type'] === 'application/octet-stream');
    expect(ev.headers['ce-type']).toBe('azure.webpubsub.user.message');
    expect(ev.headers['ce-subprotocol']).toBeUndefined();
  });

  it('simple client: a failed message event closes the connection with 1011', async () => {
    upstream.reply = () => ({ status: 400 });
    const s = await simple();
    s.send('boom');
    expect((await s.closed).code).toBe(1011);
  });

  it('simple client in sendToGroup mode publishes frames when it has the permission', async () => {
    const receiver = await json({ roles: ['webpubsub.joinLeaveGroup'] });
    receiver.c.send({ type: 'joinGroup', group: 'feed', ackId: 1 });
    await receiver.c.json(1);
    const denied = await simple('&webpubsub_mode=sendToGroup&group=feed', { userId: 'nobody' });
    denied.send('dropped');
    const s = await simple('&webpubsub_mode=sendToGroup&group=feed', { userId: 'pub', roles: ['webpubsub.sendToGroup.feed'] });
    s.send('text frame');
    s.ws.send(Buffer.from([5]), { binary: true });
    expect(await receiver.c.json(2)).toEqual({ type: 'message', from: 'group', group: 'feed', fromUserId: 'pub', dataType: 'text', data: 'text frame' });
    expect(await receiver.c.json(3)).toEqual({ type: 'message', from: 'group', group: 'feed', fromUserId: 'pub', dataType: 'binary', data: 'BQ==' });
  });

  it('delivers ServiceOps sends to every kind and closes with system/disconnected then 1000', async () => {
    const a = await json({ userId: 'u1' });
    const s = await simple('', { userId: 'u1' });
    emulator.ops.sendToUser('chat', 'u1', { dataType: 'json', data: Buffer.from('"Hello World"') });
    expect(await a.c.json(1)).toEqual({ type: 'message', from: 'server', dataType: 'json', data: 'Hello World' });
    expect((await s.frame(0)).data.toString()).toBe('"Hello World"');
    emulator.ops.closeConnection('chat', a.id, 'bye');
    expect(await a.c.json(2)).toEqual({ type: 'system', event: 'disconnected', message: 'bye' });
    expect(await a.c.closed).toEqual({ code: 1000, reason: 'bye' });
    const disc = await upstream.waitForEvent((e) => e.headers['ce-eventname'] === 'disconnected' && e.headers['ce-connectionid'] === a.id);
    expect(JSON.parse(disc.body.toString())).toEqual({ reason: 'bye' });
  });

  async function connectionIdOf(hub: string, _client: RawClient): Promise<string> {
    // Simple clients get no connected frame; their connected event names the id.
    const events = upstream.events.filter((e) => e.headers['ce-eventname'] === 'connected' && e.headers['ce-subprotocol'] === undefined);
    const e = events.at(-1) ?? (await upstream.waitForEvent((x) => x.headers['ce-eventname'] === 'connected' && x.headers['ce-subprotocol'] === undefined));
    expect(emulator.ops.connectionExists(hub, e.headers['ce-connectionid'] as string)).toBe(true);
    return e.headers['ce-connectionid'] as string;
  }
});
