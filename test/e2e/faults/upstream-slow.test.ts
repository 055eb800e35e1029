import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, FakeUpstream, RawClient, start, type UpstreamReply } from '../../support/emulator-harness';

/**
 * An upstream that answers too late: the emulator's (configurable) timeout fires, the client gets the
 * documented outcome (ack InternalServerError, connection kept; docs/protocol/cloud-events.md §7.2), the frames queued
 * behind the slow event all run afterwards, and the late reply is dropped, never delivered.
 */

describe('Slow upstream', () => {
  let upstream: FakeUpstream;
  let emulator: RunningEmulator;
  const held: ((r: UpstreamReply) => void)[] = [];
  let hold = true;
  beforeAll(async () => {
    upstream = new FakeUpstream();
    upstream.reply = (e) =>
      hold
        ? new Promise<UpstreamReply>((resolve) => held.push(resolve))
        : { status: 200, headers: { 'content-type': 'text/plain' }, body: `echo ${e.body.toString()}` };
    const url = await upstream.listen();
    emulator = await start({
      // Long enough that the 50 events answered at once never time out on a loaded machine (CI runs the
      // suite in parallel); the blocked first event still shows the timeout.
      upstreamTimeoutMs: 1500,
      upstreamRetryDelaysMs: [],
      hubs: { chat: { eventHandlers: [{ urlTemplate: `${url}/api/eventhandler`, userEventPattern: '*', systemEvents: [] }] } },
    });
  });
  afterAll(async () => {
    await emulator.close();
    await upstream.close();
  });

  it('times out, keeps the connection, runs the queued frames, and drops the late reply', async () => {
    const c = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'u' }), 'json.webpubsub.azure.v1');
    await c.json(0);
    c.send({ type: 'event', event: 'message', dataType: 'text', data: 'slow', ackId: 1 });
    await upstream.waitForEvent((e) => e.body.toString() === 'slow');
    // Queued behind the blocking event (docs/protocol/cloud-events.md §5): they run once it has timed out.
    hold = false;
    for (let i = 2; i <= 51; i++) c.send({ type: 'event', event: 'message', dataType: 'text', data: `m${i}`, ackId: i });
    const first = await c.find((m) => m.type === 'ack' && m.ackId === 1);
    expect(first).toMatchObject({ success: false, error: { name: 'InternalServerError' } });
    expect((first.error as { message: string }).message).toMatch(/no reply within 1500 ms/);
    for (let i = 2; i <= 51; i++) expect(await c.find((m) => m.type === 'ack' && m.ackId === i)).toMatchObject({ success: true });

    // The late reply arrives now; it must not reach the client.
    held.splice(0).forEach((release) => release({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'late' }));
    c.send({ type: 'event', event: 'message', dataType: 'text', data: 'after', ackId: 52 });
    await c.find((m) => m.type === 'ack' && m.ackId === 52);
    const texts = c.frames
      .map((f) => JSON.parse(f.data.toString()) as { type: string; data?: unknown })
      .filter((m) => m.type === 'message')
      .map((m) => m.data);
    expect(texts).not.toContain('late');
    expect(texts).toContain('echo after');
    expect(texts.filter((t) => typeof t === 'string' && t.startsWith('echo m'))).toHaveLength(50);
    c.close();
  });
});
