import { WebPubSubClient, WebPubSubJsonProtocol, type OnGroupDataMessageArgs, type OnServerDataMessageArgs } from '@azure/web-pubsub-client';
import type { Registry } from '../../../emulator/registry/registry';
import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, FakeUpstream, once, RawClient, serviceClient, start } from '../../support/emulator-harness';

describe('@azure/web-pubsub-client 1.1.0 against the emulator', () => {
  let emulator: RunningEmulator;
  let upstream: FakeUpstream;
  const clients: WebPubSubClient[] = [];
  const raws: RawClient[] = [];

  beforeAll(async () => {
    upstream = new FakeUpstream();
    const base = await upstream.listen();
    emulator = await start({
      hubs: { chat: { eventHandlers: [{ urlTemplate: `${base}/eventhandler`, systemEvents: ['disconnected'] }] } },
      recoveryWindowMs: 2000,
    });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.stop();
    for (const r of raws.splice(0)) r.close();
  });
  afterAll(async () => {
    await emulator.close();
    await upstream.close();
  });

  async function sdkClient(options: { userId?: string; roles?: string[] }, json = false): Promise<WebPubSubClient> {
    const client = new WebPubSubClient(
      { getClientAccessUrl: () => clientUrl(emulator, 'chat', options) },
      // A short app-level ping exercises ping/pong and lets the SDK's ping loop end soon after stop().
      { keepAliveIntervalInMs: 250, keepAliveTimeoutInMs: 0, ...(json ? { protocol: WebPubSubJsonProtocol() } : {}) },
    );
    clients.push(client);
    const connected = once<unknown>((l) => client.on('connected', l));
    await client.start();
    await connected;
    return client;
  }

  it.each([
    ['reliable (default)', false],
    ['json', true],
  ])('%s: joins a group, sends to it and receives group messages', async (_name, json) => {
    const alice = await sdkClient({ userId: 'alice', roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'] }, json);
    const bob = await sdkClient({ userId: 'bob', roles: ['webpubsub.joinLeaveGroup'] }, json);
    await bob.joinGroup('room');
    const got = once<OnGroupDataMessageArgs>((l) => bob.on('group-message', l));
    const result = await alice.sendToGroup('room', { text: 'hi' }, 'json', { noEcho: true });
    expect(result.isDuplicated).toBe(false);
    const e = await got;
    expect(e.message).toMatchObject({ group: 'room', fromUserId: 'alice', dataType: 'json', data: { text: 'hi' } });
  });

  it('sendEvent reaches the upstream and its reply arrives as a server message', async () => {
    upstream.reply = (e) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ echoed: JSON.parse(e.body.toString()) }) });
    const c = await sdkClient({ userId: 'eve' });
    const reply = once<OnServerDataMessageArgs>((l) => c.on('server-message', l));
    await c.sendEvent('greet', { a: 1 }, 'json');
    expect((await reply).message).toMatchObject({ dataType: 'json', data: { echoed: { a: 1 } } });
    const event = await upstream.waitForEvent((e) => e.headers['ce-eventname'] === 'greet');
    expect(event.headers['ce-subprotocol']).toBe('json.reliable.webpubsub.azure.v1');
  });

  it('receives a REST sendToAll from @azure/web-pubsub as a server message', async () => {
    const c = await sdkClient({ userId: 'frank' });
    const got = once<OnServerDataMessageArgs>((l) => c.on('server-message', l));
    await serviceClient(emulator, 'chat').sendToAll('broadcast', { contentType: 'text/plain' });
    expect((await got).message).toMatchObject({ dataType: 'text', data: 'broadcast' });
  });

  it('recovers a dropped reliable connection with no loss and no duplicates, in order', async () => {
    const c = await sdkClient({ userId: 'grace', roles: ['webpubsub.joinLeaveGroup'] });
    await c.joinGroup('stream');
    const received: number[] = [];
    let notify = () => {};
    c.on('group-message', (e) => {
      received.push((e.message.data as { n: number }).n);
      notify();
    });
    const waitFor = (count: number) =>
      new Promise<void>((resolve) => {
        notify = () => received.length >= count && resolve();
        notify();
      });
    const send = (from: number, to: number) => {
      for (let n = from; n < to; n++) emulator.ops.sendToGroup('chat', 'stream', { dataType: 'json', data: Buffer.from(JSON.stringify({ n })) });
    };
    const registry = emulator.ops as Registry;
    const id = [...registry.hub('chat').groups.get('stream')!][0]!.connectionId;
    const connBefore = registry.hub('chat').connections.get(id)!;

    send(0, 100);
    await waitFor(50);
    // Cut the server side of the socket while frames are still flowing, then keep sending while it is down.
    const dropped = connBefore.transport!;
    dropped.terminate();
    send(100, 200);
    await waitFor(200);
    send(200, 250);
    await waitFor(250);
    expect(received).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(registry.hub('chat').connections.get(id)).toBe(connBefore);
    expect(connBefore.transport).not.toBe(dropped);
    // No disconnected event for a recovered connection.
    expect(upstream.events.some((e) => e.headers['ce-eventname'] === 'disconnected' && e.headers['ce-connectionid'] === id)).toBe(false);
  });

  it('after a REST close the recovery is refused with 1008 and the SDK opens a new connection', async () => {
    const c = await sdkClient({ userId: 'heidi' });
    const firstId = await new Promise<string>((resolve) => {
      resolve((emulator.ops as Registry).hub('chat').userConnections('heidi')[0]!.connectionId);
    });
    const reconnected = once<{ connectionId: string }>((l) => c.on('connected', l));
    const disconnected = once<{ message?: unknown }>((l) => c.on('disconnected', l));
    await serviceClient(emulator, 'chat').closeConnection(firstId, { reason: 'kicked' });
    // The SDK hands over the whole system/disconnected frame.
    expect((await disconnected).message).toMatchObject({ event: 'disconnected', message: 'kicked' });
    const next = await reconnected;
    expect(next.connectionId).not.toBe(firstId);
    expect(emulator.ops.connectionExists('chat', firstId)).toBe(false);
  });

  it('accepts and closes with 1008 a recovery for an unknown connection id', async () => {
    const url = `${await clientUrl(emulator, 'chat')}&awps_connection_id=unknown&awps_reconnection_token=abc`;
    const raw = await RawClient.open(url, 'json.reliable.webpubsub.azure.v1');
    raws.push(raw);
    expect((await raw.closed).code).toBe(1008);
  });

  it('ends a dropped reliable connection after the recovery window and then refuses recovery', async () => {
    const raw = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'ivan' }), 'json.reliable.webpubsub.azure.v1');
    raws.push(raw);
    const connected = await raw.json(0);
    expect(typeof connected.reconnectionToken).toBe('string');
    raw.close();
    const event = await upstream.waitForEvent((e) => e.headers['ce-eventname'] === 'disconnected' && e.headers['ce-connectionid'] === connected.connectionId);
    expect(JSON.parse(event.body.toString()).reason).toMatch(/not recovered/);
    const query = `&awps_connection_id=${connected.connectionId as string}&awps_reconnection_token=${encodeURIComponent(connected.reconnectionToken as string)}`;
    const again = await RawClient.open(`${await clientUrl(emulator, 'chat')}${query}`, 'json.reliable.webpubsub.azure.v1');
    raws.push(again);
    expect((await again.closed).code).toBe(1008);
  });

  it('refuses recovery with a forged reconnection token (1008) and keeps the real connection', async () => {
    const raw = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'judy' }), 'json.reliable.webpubsub.azure.v1');
    raws.push(raw);
    const connected = await raw.json(0);
    const forged = await RawClient.open(
      `${await clientUrl(emulator, 'chat')}&awps_connection_id=${connected.connectionId as string}&awps_reconnection_token=forged`,
      'json.reliable.webpubsub.azure.v1',
    );
    raws.push(forged);
    expect((await forged.closed).code).toBe(1008);
    raw.send({ type: 'ping' });
    expect(await raw.json(1)).toEqual({ type: 'pong' });
  });

  it('resends unacked frames with their original sequence ids after a raw recovery, and releases acked ones', async () => {
    const raw = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'ken' }), 'json.reliable.webpubsub.azure.v1');
    raws.push(raw);
    const connected = await raw.json(0);
    const id = connected.connectionId as string;
    for (const t of ['a', 'b', 'c']) emulator.ops.sendToConnection('chat', id, { dataType: 'text', data: Buffer.from(t) });
    expect(await raw.json(3)).toEqual({ sequenceId: 3, type: 'message', from: 'server', dataType: 'text', data: 'c' });
    raw.send({ type: 'sequenceAck', sequenceId: 1 });
    raw.send({ type: 'ping' });
    await raw.find((m) => m.type === 'pong', 4);
    raw.close();
    const query = `&awps_connection_id=${id}&awps_reconnection_token=${encodeURIComponent(connected.reconnectionToken as string)}`;
    const again = await RawClient.open(`${await clientUrl(emulator, 'chat')}${query}`, 'json.reliable.webpubsub.azure.v1');
    raws.push(again);
    expect(await again.json(0)).toMatchObject({ type: 'system', event: 'connected', connectionId: id });
    expect(await again.json(1)).toMatchObject({ sequenceId: 2, data: 'b' });
    expect(await again.json(2)).toMatchObject({ sequenceId: 3, data: 'c' });
    emulator.ops.sendToConnection('chat', id, { dataType: 'text', data: Buffer.from('d') });
    expect(await again.json(3)).toMatchObject({ sequenceId: 4, data: 'd' });
  });
});

describe('reliable buffer cap', () => {
  it('closes with 1008 when more than the unacked limit is buffered', async () => {
    const emulator = await start({ reliableLimits: { maxMessages: 3, maxBytes: 1 << 20 } });
    const raw = await RawClient.open(await clientUrl(emulator, 'chat'), 'json.reliable.webpubsub.azure.v1');
    try {
      const id = (await raw.json(0)).connectionId as string;
      for (let i = 0; i < 4; i++) emulator.ops.sendToConnection('chat', id, { dataType: 'text', data: Buffer.from(String(i)) });
      expect((await raw.closed).code).toBe(1008);
      expect(emulator.ops.connectionExists('chat', id)).toBe(false);
    } finally {
      raw.close();
      await emulator.close();
    }
  });
});
