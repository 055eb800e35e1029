import type { Socket } from 'node:net';
import type { Registry } from '../../../emulator/registry/registry';
import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, FakeUpstream, RawClient, serviceClient, start, type UpstreamReply } from '../../support/emulator-harness';

/**
 * Red-team item 4: per-connection caps multiplied by the number of connections had no global bound (40
 * reliable receivers that never ack took the emulator from 79 MB to 694 MB). Here the limits are small
 * (docs/emulator-limits.md) so each bound is reached with a few connections.
 */

const MB = 1024 * 1024;
const RELIABLE = 'json.reliable.webpubsub.azure.v1';

function capture(): { lines: string[]; log: (line: string) => void; waitFor: (re: RegExp) => Promise<string> } {
  const lines: string[] = [];
  let wake = () => {};
  return {
    lines,
    log: (line) => {
      lines.push(line);
      wake();
    },
    waitFor: (re) =>
      new Promise((resolve) => {
        const check = () => {
          const hit = lines.find((l) => re.test(l));
          if (hit) resolve(hit);
        };
        const previous = wake;
        wake = () => {
          previous();
          check();
        };
        check();
      }),
  };
}

describe('Global buffer bound', () => {
  let emulator: RunningEmulator;
  const logs = capture();
  beforeAll(async () => {
    emulator = await start({ limits: { maxBufferedBytes: 3 * MB }, log: logs.log });
  });
  afterAll(() => emulator.close());

  it('closes the reliable receivers holding the most unacknowledged data with 1008, and keeps serving', async () => {
    const receivers = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => RawClient.open(await clientUrl(emulator, 'reliable', { userId: `r${i}` }), RELIABLE)),
    );
    await Promise.all(receivers.map((r) => r.json(0)));
    const service = serviceClient(emulator, 'reliable');
    const payload = 'x'.repeat(200 * 1024);
    // 5 receivers × 10 × 200 KB = 10 MB unacknowledged without a global bound (each stays under its own 16 MB cap).
    for (let i = 0; i < 10; i++) await service.sendToAll(payload, { contentType: 'text/plain' });
    const closed = await Promise.race([Promise.any(receivers.map((r) => r.closed)), new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
    expect(closed).toEqual({ code: 1008, reason: 'the service buffer limit is reached and this connection holds the most unread or unacknowledged data' });
    expect(logs.lines.some((l) => /code=1008 reason="?the service buffer limit/.test(l))).toBe(true);
    // The others stay connected, and a new client connects and is served.
    const open = receivers.filter((r) => r.ws.readyState === r.ws.OPEN);
    expect(open.length).toBeGreaterThan(0);
    const late = await RawClient.open(await clientUrl(emulator, 'reliable', { userId: 'late' }), 'json.webpubsub.azure.v1');
    await late.json(0);
    late.send({ type: 'ping' });
    await late.find((m) => m.type === 'pong');
    for (const r of [...receivers, late]) r.close();
  }, 20_000);

  it('cuts a client that does not read its socket once its unread data passes the bound', async () => {
    const reader = await RawClient.open(await clientUrl(emulator, 'slow', { userId: 'slow' }), 'json.webpubsub.azure.v1');
    await reader.json(0);
    // The client stops reading: what the emulator writes piles up in the kernel, then in the emulator.
    (reader.ws as unknown as { _socket: Socket })._socket.pause();
    const service = serviceClient(emulator, 'slow');
    const payload = 'y'.repeat(1000 * 1000);
    for (let i = 0; i < 30 && !logs.lines.some((l) => /user=slow .*code=1008/.test(l)); i++)
      await service.sendToUser('slow', payload, { contentType: 'text/plain' });
    expect(await logs.waitFor(/user=slow .*code=1008 reason="?the service buffer limit/)).toBeTruthy();
    reader.close();
  }, 30_000);
});

describe('Inbound frames behind a blocking event count too', () => {
  let upstream: FakeUpstream;
  let emulator: RunningEmulator;
  const held: ((r: UpstreamReply) => void)[] = [];
  beforeAll(async () => {
    upstream = new FakeUpstream();
    upstream.reply = (e) => (e.body.toString() === 'block' ? new Promise<UpstreamReply>((r) => held.push(r)) : { status: 204 });
    const url = await upstream.listen();
    emulator = await start({
      limits: { maxBufferedBytes: 2 * MB },
      hubs: { chat: { eventHandlers: [{ urlTemplate: `${url}/api/eventhandler`, userEventPattern: '*', systemEvents: [] }] } },
    });
  });
  afterAll(async () => {
    held.splice(0).forEach((r) => r({ status: 204 }));
    await emulator.close();
    await upstream.close();
  });

  it('closes with 1008 a client whose queued frames pass the global bound (its own 16 MB cap is far away)', async () => {
    const c = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'u' }), 'json.webpubsub.azure.v1');
    await c.json(0);
    c.send({ type: 'event', event: 'message', dataType: 'text', data: 'block' });
    await upstream.waitForEvent((e) => e.body.toString() === 'block');
    const big = JSON.stringify({ type: 'event', event: 'message', dataType: 'text', data: 'x'.repeat(900 * 1000) });
    for (let i = 0; i < 4; i++) c.ws.send(big);
    const closed = await c.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/service buffer limit/);
  });
});

describe('Connections per user', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await start({ limits: { maxConnectionsPerUser: 2 } });
  });
  afterAll(() => emulator.close());

  it('refuses the third connection of one user in one hub with 429, and admits it again after one closes', async () => {
    const url = () => clientUrl(emulator, 'chat', { userId: 'mallory' });
    const a = await RawClient.open(await url(), 'json.webpubsub.azure.v1');
    const b = await RawClient.open(await url(), 'json.webpubsub.azure.v1');
    expect(await RawClient.refusal(await url(), 'json.webpubsub.azure.v1')).toBe(429);
    // Another hub and another user are separate.
    const other = await RawClient.open(await clientUrl(emulator, 'other', { userId: 'mallory' }), 'json.webpubsub.azure.v1');
    const bob = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'bob' }), 'json.webpubsub.azure.v1');
    a.close();
    while ((emulator.ops as Registry).userConnectionCount('chat', 'mallory') > 1) await new Promise((r) => setTimeout(r, 10));
    const c = await RawClient.open(await url(), 'json.webpubsub.azure.v1');
    for (const x of [b, c, other, bob]) x.close();
  });
});
