import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, FakeUpstream, RawClient, start, type UpstreamReply } from '../../support/emulator-harness';

/**
 * Per-connection memory bounds (documented in docs/security.md, "Limits"): the ackIds remembered for
 * Duplicate detection are the most recent 100,000, and the frames queued behind a blocking user event may
 * hold at most 16 MB (beyond that the client is too far ahead: close 1008).
 */

describe('Per-connection bounds', () => {
  let upstream: FakeUpstream;
  let emulator: RunningEmulator;
  const held: ((r: UpstreamReply) => void)[] = [];
  beforeAll(async () => {
    upstream = new FakeUpstream();
    upstream.reply = (e) => (e.body.toString() === 'block' ? new Promise<UpstreamReply>((r) => held.push(r)) : { status: 204 });
    const url = await upstream.listen();
    emulator = await start({ hubs: { chat: { eventHandlers: [{ urlTemplate: `${url}/api/eventhandler`, userEventPattern: '*', systemEvents: [] }] } } });
  });
  afterAll(async () => {
    held.splice(0).forEach((r) => r({ status: 204 }));
    await emulator.close();
    await upstream.close();
  });

  it('remembers the latest 100,000 ackIds: a recent repeat is Duplicate, a very old one is processed again', async () => {
    const N = 100_000;
    const c = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'u', roles: ['webpubsub.joinLeaveGroup'] }), 'json.webpubsub.azure.v1');
    await c.json(0);
    for (let i = 1; i <= N + 1; i++) c.send({ type: 'joinGroup', group: 'g', ackId: i });
    c.send({ type: 'joinGroup', group: 'g', ackId: N + 1 });
    c.send({ type: 'joinGroup', group: 'g', ackId: 1 });
    const last = await c.frame(N + 3); // system/connected + N + 3 acks
    const recent = JSON.parse(c.frames[N + 2]!.data.toString()) as Record<string, unknown>;
    expect(recent).toMatchObject({ ackId: N + 1, success: false, error: { name: 'Duplicate' } });
    expect(JSON.parse(last.data.toString())).toMatchObject({ ackId: 1, success: true });
    c.close();
  }, 60_000);

  it('closes with 1008 a client that queues more than 16 MB behind a blocking event; the server stays up', async () => {
    const c = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'u' }), 'json.webpubsub.azure.v1');
    await c.json(0);
    c.send({ type: 'event', event: 'message', dataType: 'text', data: 'block', ackId: 1 });
    await upstream.waitForEvent((e) => e.body.toString() === 'block');
    const big = JSON.stringify({ type: 'event', event: 'message', dataType: 'text', data: 'x'.repeat(1000 * 1000) });
    for (let i = 0; i < 20 && c.ws.readyState === c.ws.OPEN; i++) c.ws.send(big);
    const closed = await c.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/waiting/);
    const other = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'v' }), 'json.webpubsub.azure.v1');
    other.send({ type: 'ping' });
    await other.find((m) => m.type === 'pong');
    other.close();
  });
});
