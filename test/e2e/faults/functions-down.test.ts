import { WebPubSubClient } from '@azure/web-pubsub-client';
import { findFreePorts } from '../../../scripts/ports';
import type { RunningEmulator } from '../../../emulator/server';
import type { GroupProcess } from '../../support/process-group';
import { clientUrl, RawClient, start } from '../../support/emulator-harness';
import { DEV_KEY, startFunctions } from '../../support/functions-host';
import { SHORT_KEEPALIVE } from '../../support/reliable-cuts';

/**
 * The functions are down while clients connect: the connect event fails and the handshake answers 500 at
 * once (no hang); when the functions come back, new connections work with nothing restarted — the
 * emulator's abuse-protection cache must not remember the failure.
 */

describe('Functions down, then back', () => {
  let emulator: RunningEmulator;
  let functionsPort: number;
  let functions: GroupProcess | undefined;
  beforeAll(async () => {
    [functionsPort] = (await findFreePorts(1)) as [number];
    emulator = await start({
      keys: [DEV_KEY],
      upstreamRetryDelaysMs: [],
      upstreamTimeoutMs: 5000,
      hubs: {
        chat: {
          eventHandlers: [
            {
              urlTemplate: `http://localhost:${functionsPort}/api/eventhandler`,
              userEventPattern: '*',
              systemEvents: ['connect', 'connected', 'disconnected'],
            },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await functions?.stop('SIGKILL');
    await emulator.close();
  });

  async function connectThroughNegotiate(userId: string): Promise<WebPubSubClient> {
    const client = new WebPubSubClient(
      {
        getClientAccessUrl: async () =>
          ((await (await fetch(`http://localhost:${functionsPort}/api/negotiate?userId=${userId}`)).json()) as { url: string }).url,
      },
      SHORT_KEEPALIVE,
    );
    const listed = new Promise<void>((resolve) =>
      client.on('server-message', (e) => {
        const data = e.message.data as { system?: string; users?: string[] };
        if (data.system === 'roster' && data.users?.includes(userId)) resolve();
      }),
    );
    await client.start();
    // The connected event reached the functions, which sent the newcomer its roster: the whole loop works.
    await listed;
    return client;
  }

  it('refuses handshakes with 500 while the functions are down, and accepts them once they are back (twice)', async () => {
    const url = await clientUrl(emulator, 'chat', { userId: 'early' });
    for (let round = 0; round < 2; round++) {
      // Down: validation fails (connection refused) → connect fails → 500, for every attempt.
      const statuses = await Promise.all([1, 2, 3].map(() => RawClient.refusal(url, 'json.webpubsub.azure.v1')));
      expect(statuses).toEqual([500, 500, 500]);

      functions = await startFunctions(functionsPort, emulator.port);
      const client = await connectThroughNegotiate(`alice${round}`);
      client.stop();
      await functions.stop('SIGTERM');
      functions = undefined;
    }
  }, 60_000);
});
