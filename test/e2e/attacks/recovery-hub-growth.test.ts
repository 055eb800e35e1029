import type { RunningEmulator } from '../../../emulator/server';
import type { Registry } from '../../../emulator/registry/registry';
import { clientUrl, RawClient, start } from '../../support/emulator-harness';

/**
 * Red-team item 3: a recovery attempt needs no valid token to reach the registry, and it used to create
 * a hub entry for whatever hub name it carried (40,000 attempts added ~33 MB, never freed).
 */
describe('Recovery attempts on invented hub names', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());

  const registry = () => emulator.ops as Registry;

  it('leave the registry without new hubs; each is refused with 1008', async () => {
    const member = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'u' }), 'json.webpubsub.azure.v1');
    await member.json(0);
    expect(registry().hubCount).toBe(1);
    const N = 40;
    const closes = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const url = `ws://localhost:${emulator.port}/client/hubs/bogus_hub_${i}?awps_connection_id=c${i}&awps_reconnection_token=not-a-token`;
        const c = await RawClient.open(url, 'json.reliable.webpubsub.azure.v1');
        return c.closed;
      }),
    );
    expect(closes.every((c) => c.code === 1008)).toBe(true);
    expect(registry().hubCount).toBe(1);
    // A recovery attempt on the existing hub with an unknown id does not disturb it either.
    const stray = await RawClient.open(
      `ws://localhost:${emulator.port}/client/hubs/chat?awps_connection_id=nope&awps_reconnection_token=x`,
      'json.reliable.webpubsub.azure.v1',
    );
    expect((await stray.closed).code).toBe(1008);
    expect(emulator.ops.userExists('chat', 'u')).toBe(true);
    member.close();
    await member.closed;
    await waitUntil(() => registry().hubCount === 0);
  });

  it('drops a hub when its last connection ends, and recreates it on the next connect', async () => {
    const a = await RawClient.open(await clientUrl(emulator, 'room', { userId: 'a' }), 'json.webpubsub.azure.v1');
    await a.json(0);
    expect(registry().hubCount).toBe(1);
    emulator.ops.closeAllConnections('room');
    await a.closed;
    expect(registry().hubCount).toBe(0);
    const b = await RawClient.open(await clientUrl(emulator, 'room', { userId: 'b' }), 'json.webpubsub.azure.v1');
    await b.json(0);
    expect(emulator.ops.userExists('room', 'b')).toBe(true);
    b.close();
    await b.closed;
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
}
