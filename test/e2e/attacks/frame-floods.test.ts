import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, RawClient, serviceClient, start } from '../../support/emulator-harness';

/** Oversized frames and floods from one client: refused or bounded, and everyone else is still served. */

const MB = 1024 * 1024;
/** The documented per-connection cap on groups joined by the client itself (docs/security.md, "Limits"). */
const MAX_CLIENT_GROUPS = 1000;

describe('Frame-size and flood attacks', () => {
  let emulator: RunningEmulator;
  let url: string;
  beforeAll(async () => {
    emulator = await start();
    url = await clientUrl(emulator, 'chat', { userId: 'attacker', roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'] });
  });
  afterAll(() => emulator.close());

  async function pingPong(c: RawClient): Promise<void> {
    const from = c.frames.length;
    c.send({ type: 'ping' });
    await c.find((m) => m.type === 'pong', from);
  }

  it('a frame of 1 MB + 1 byte is refused with close 1009; a 1 MB frame is accepted; the server keeps serving', async () => {
    const bystander = await RawClient.open(url, 'json.webpubsub.azure.v1');
    await bystander.json(0);
    const exact = await RawClient.open(url, 'json.webpubsub.azure.v1');
    await exact.json(0);
    const head = '{"type":"sendToGroup","group":"g","dataType":"text","ackId":1,"data":"';
    const tail = '"}';
    exact.send(head + 'x'.repeat(MB - head.length - tail.length) + tail);
    expect(await exact.find((m) => m.type === 'ack')).toMatchObject({ ackId: 1, success: true });

    const big = await RawClient.open(url, 'json.webpubsub.azure.v1');
    await big.json(0);
    big.send(head + 'x'.repeat(MB + 1 - head.length - tail.length) + tail);
    expect((await big.closed).code).toBe(1009);

    await pingPong(bystander);
    await pingPong(exact);
    const fresh = await RawClient.open(url, 'json.webpubsub.azure.v1');
    await pingPong(fresh);
    for (const c of [bystander, exact, fresh]) c.close();
  });

  it('10,000 joinGroup messages in one burst: every one is acked, at most 1000 groups are joined, others stay responsive', async () => {
    const bystander = await RawClient.open(url, 'json.webpubsub.azure.v1');
    await bystander.json(0);
    const flooder = await RawClient.open(url, 'json.webpubsub.azure.v1');
    await flooder.json(0);
    const name = (i: number) => `flood-${i}-${'x'.repeat(1000)}`;
    for (let i = 1; i <= 10_000; i++) flooder.send({ type: 'joinGroup', group: name(i), ackId: i });
    // While the burst is processed, another client gets its answers.
    await pingPong(bystander);
    const acks = new Map<number, { success: boolean; error?: { name: string } }>();
    for (let i = 0; acks.size < 10_000; i++) {
      const m = (await flooder.json(i)) as { type: string; ackId: number; success: boolean; error?: { name: string } };
      if (m.type === 'ack') acks.set(m.ackId, m);
    }
    const ok = [...acks.values()].filter((a) => a.success).length;
    expect(ok).toBe(MAX_CLIENT_GROUPS);
    expect(acks.get(MAX_CLIENT_GROUPS + 1)).toMatchObject({ success: false, error: { name: 'BadRequest' } });
    // Observable through the REST API: the first groups exist, the ones past the cap do not.
    const svc = serviceClient(emulator, 'chat');
    expect(await svc.groupExists(name(1))).toBe(true);
    expect(await svc.groupExists(name(MAX_CLIENT_GROUPS + 1))).toBe(false);
    // Leaving makes room again.
    flooder.send({ type: 'leaveGroup', group: name(1), ackId: 20_001 });
    flooder.send({ type: 'joinGroup', group: 'after-leave', ackId: 20_002 });
    expect(await flooder.find((m) => m.ackId === 20_002)).toMatchObject({ success: true });
    await pingPong(bystander);
    flooder.close();
    bystander.close();
  }, 60_000);
});
