import { WebPubSubClient, WebPubSubJsonProtocol, type GroupStream } from '@azure/web-pubsub-client';
import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, once, RawClient, start } from '../../support/emulator-harness';

/**
 * client 1.1.0's group streams, group state and keep-alive against the emulator
 * (docs/protocol/client-sdk-features.md §3, §4, §6).
 */
describe('@azure/web-pubsub-client 1.1.0 group streams and group state against the emulator', () => {
  let emulator: RunningEmulator;
  const clients: WebPubSubClient[] = [];
  const raws: RawClient[] = [];
  const protocol = WebPubSubJsonProtocol();

  beforeAll(async () => {
    emulator = await start();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.stop();
    for (const r of raws.splice(0)) r.close();
  });
  afterAll(async () => {
    await emulator.close();
  });

  async function sdkClient(userId: string, roles: string[]): Promise<WebPubSubClient> {
    const client = new WebPubSubClient(
      { getClientAccessUrl: () => clientUrl(emulator, 'chat', { userId, roles }) },
      // A short ping interval exercises ping/pong; the reliable protocol (the default) sequences stream fragments.
      { keepAliveIntervalInMs: 200, keepAliveTimeoutInMs: 0, messageRetryOptions: { maxRetries: 0 } },
    );
    clients.push(client);
    const connected = once<unknown>((l) => client.on('connected', l));
    await client.start();
    await connected;
    return client;
  }

  /** Reads one inbound stream to its end: the fragments, or the error it ended with. */
  function nextStream(client: WebPubSubClient): Promise<{ streamId: string; fragments: unknown[]; error?: { name?: string; message?: string } }> {
    return new Promise((resolve) => {
      const subscription = client.onGroupStream(
        async (stream: GroupStream) => {
          const fragments: unknown[] = [];
          try {
            for await (const m of stream) fragments.push(m.data);
            resolve({ streamId: stream.streamId, fragments });
          } catch (e) {
            resolve({ streamId: stream.streamId, fragments, error: e as { name?: string; message?: string } });
          }
          await subscription.close();
        },
        { handleFromStart: true },
      );
    });
  }

  it('streams fragments from one client to a group, in order, and ends them', async () => {
    const receiver = await sdkClient('rita', ['webpubsub.joinLeaveGroup']);
    const sender = await sdkClient('sam', ['webpubsub.sendToGroup']);
    await receiver.joinGroup('live');
    const received = nextStream(receiver);
    const stream = await sender.openGroupStream('live', { streamId: 'answer-1' });
    await stream.write('hello ', 'text');
    await stream.write({ part: 2 }, 'json');
    await stream.write(new Uint8Array([7, 8]).buffer, 'binary');
    await stream.end();
    const result = await received;
    expect(result.streamId).toBe('answer-1');
    expect(result.error).toBeUndefined();
    expect(result.fragments.slice(0, 2)).toEqual(['hello ', { part: 2 }]);
    expect([...new Uint8Array(result.fragments[2] as ArrayBuffer)]).toEqual([7, 8]);
  });

  it("passes an aborted stream on to receivers as StreamAborted, with the sender's message", async () => {
    const receiver = await sdkClient('rita', ['webpubsub.joinLeaveGroup']);
    const sender = await sdkClient('sam', ['webpubsub.sendToGroup']);
    await receiver.joinGroup('live2');
    const received = nextStream(receiver);
    const stream = await sender.openGroupStream('live2');
    await stream.write('partial', 'text');
    await stream.abort({ message: 'model overloaded', userErrorCode: 'E42' });
    const result = await received;
    expect(result.fragments).toEqual(['partial']);
    expect(result.error).toMatchObject({ name: 'StreamAborted', message: 'model overloaded', userErrorCode: 'E42' });
  });

  it('refuses to open a stream without the sendToGroup permission', async () => {
    const sender = await sdkClient('nobody', []);
    await expect(sender.openGroupStream('live')).rejects.toMatchObject({ name: 'Forbidden' });
  });

  it('closes an idle stream with IdleTimeout on both sides', async () => {
    const receiver = await sdkClient('rita', ['webpubsub.joinLeaveGroup']);
    const sender = await sdkClient('sam', ['webpubsub.sendToGroup']);
    await receiver.joinGroup('idle');
    const received = nextStream(receiver);
    const stream = await sender.openGroupStream('idle', { idleTimeoutInMs: 300 });
    const senderError = new Promise<{ name: string }>((resolve) => stream.onError((e) => resolve(e)));
    await stream.write('only one', 'text');
    expect(await senderError).toMatchObject({ name: 'IdleTimeout' });
    expect(await received).toMatchObject({ fragments: ['only one'], error: { name: 'IdleTimeout' } });
  });

  it('sets, subscribes to and updates group state (frames encoded and decoded by the 1.1.0 protocol)', async () => {
    const url = (userId: string) => clientUrl(emulator, 'chat', { userId, roles: ['webpubsub.joinLeaveGroup'] });
    const [alice, bob] = await Promise.all([RawClient.open(await url('alice'), protocol.name), RawClient.open(await url('bob'), protocol.name)]);
    raws.push(alice, bob);
    const aliceId = (await alice.json(0)).connectionId as string;
    await bob.json(0);
    const send = (raw: RawClient, message: Parameters<typeof protocol.writeMessage>[0]) => raw.send(protocol.writeMessage(message) as string);
    const next = async (raw: RawClient, from: number, kind: string) => {
      for (let i = from; ; i++) {
        const m = protocol.parseMessages((await raw.frame(i)).data.toString()) as { kind: string } | null;
        if (m?.kind === kind) return { message: m as unknown as Record<string, unknown>, index: i };
      }
    };

    // Setting state needs membership.
    send(alice, { kind: 'setGroupState', group: 'room', state: { mood: 'happy' }, ackId: 1 });
    expect((await next(alice, 1, 'ack')).message).toMatchObject({ ackId: 1, success: false, error: { name: 'Forbidden' } });
    send(alice, { kind: 'joinGroup', group: 'room', ackId: 2 });
    send(alice, { kind: 'setGroupState', group: 'room', state: { mood: 'happy' }, ackId: 3 });
    expect((await next(alice, 2, 'ack')).message).toMatchObject({ ackId: 2, success: true });

    // A subscriber gets the snapshot after its ack, then every update.
    send(bob, { kind: 'subscribeGroupState', group: 'room', ackId: 1 });
    const ack = await next(bob, 1, 'ack');
    expect(ack.message).toMatchObject({ ackId: 1, success: true });
    const snapshot = await next(bob, ack.index + 1, 'groupStateSnapshot');
    expect(snapshot.message).toMatchObject({ group: 'room', items: [{ connectionId: aliceId, userId: 'alice', state: { mood: 'happy' } }] });
    expect(typeof (snapshot.message.items as { updatedAt: unknown }[])[0]!.updatedAt).toBe('number');

    send(alice, { kind: 'setGroupState', group: 'room', state: { mood: 'busy' }, ackId: 4 });
    const update = await next(bob, snapshot.index + 1, 'groupStateUpdate');
    expect(update.message).toMatchObject({ group: 'room', items: [{ connectionId: aliceId, state: { mood: 'busy' } }] });

    // Leaving the group removes the entry: subscribers see an item without state.
    send(alice, { kind: 'leaveGroup', group: 'room', ackId: 5 });
    const gone = await next(bob, update.index + 1, 'groupStateUpdate');
    expect(gone.message.items).toEqual([{ connectionId: aliceId, userId: 'alice', updatedAt: expect.any(Number) }]);

    // After unsubscribing, nothing more arrives: the next frame bob sees is the answer to his ping.
    send(bob, { kind: 'unsubscribeGroupState', group: 'room', ackId: 2 });
    send(alice, { kind: 'joinGroup', group: 'room', ackId: 6 });
    send(alice, { kind: 'setGroupState', group: 'room', state: { mood: 'back' }, ackId: 7 });
    // Alice's state is set (ack 7) before bob pings, so an update to bob would arrive before his pong.
    await alice.find((m) => m.type === 'ack' && m.ackId === 7);
    send(bob, { kind: 'ping' });
    const pong = await next(bob, gone.index + 1, 'pong');
    const between = bob.frames.slice(gone.index + 1, pong.index).map((f) => protocol.parseMessages(f.data.toString()) as { kind: string });
    expect(between.map((m) => m.kind)).toEqual(['ack']);
  });
});
