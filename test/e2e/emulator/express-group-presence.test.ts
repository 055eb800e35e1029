import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebPubSubClient, WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import { WebPubSubEventHandler } from '@azure/web-pubsub-express';
import express from 'express';
import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, once, serviceClient, start } from '../../support/emulator-harness';

/**
 * Group presence (docs/protocol/client-sdk-features.md §5) with `@azure/web-pubsub-express` 1.1.0 as the
 * upstream: its onGroupJoined / onGroupLeft fire for joins and leaves from every source.
 */
describe('@azure/web-pubsub-express 1.1.0 onGroupJoined / onGroupLeft from the emulator', () => {
  let emulator: RunningEmulator;
  let server: http.Server;
  const seen: string[] = [];
  const waiters: (() => void)[] = [];
  const clients: WebPubSubClient[] = [];

  const record = (line: string) => {
    seen.push(line);
    for (const w of waiters.splice(0)) w();
  };
  async function waitFor(line: string): Promise<void> {
    while (!seen.includes(line)) await new Promise<void>((r) => waiters.push(r));
  }

  beforeAll(async () => {
    const handler = new WebPubSubEventHandler('chat', {
      handleConnect: (req, res) => res.success(req.context.userId === 'carl' ? { groups: ['from-connect'] } : {}),
      onGroupJoined: (req) => record(`joined ${req.context.userId ?? '-'} ${req.group}`),
      onGroupLeft: (req) => record(`left ${req.context.userId ?? '-'} ${req.group}`),
    });
    const app = express();
    app.use(handler.getMiddleware());
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webpubsub/hubs/{hub}/`;
    emulator = await start({
      hubs: {
        chat: {
          eventHandlers: [
            // Groups named "quiet-*" go to no handler: the first handler filters them out and the second asks for none.
            {
              urlTemplate: url,
              systemEvents: ['connect'],
              groupPresenceEvents: { eventNames: ['joined', 'left'], groupFilters: ['room*', 'from-connect', 'rest-*'] },
            },
            { urlTemplate: url, systemEvents: [] },
          ],
        },
      },
    });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.stop();
  });
  afterAll(async () => {
    await emulator.close();
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });

  const connectionIds = new Map<WebPubSubClient, string>();

  async function connect(userId: string): Promise<WebPubSubClient> {
    const client = new WebPubSubClient(
      { getClientAccessUrl: () => clientUrl(emulator, 'chat', { userId, roles: ['webpubsub.joinLeaveGroup'] }) },
      { protocol: WebPubSubJsonProtocol(), keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0, messageRetryOptions: { maxRetries: 0 } },
    );
    clients.push(client);
    const connected = once<{ connectionId: string }>((l) => client.on('connected', l));
    await client.start();
    connectionIds.set(client, (await connected).connectionId);
    return client;
  }

  it('reports joins and leaves sent by the client', async () => {
    const client = await connect('ann');
    await client.joinGroup('room1');
    await waitFor('joined ann room1');
    await client.leaveGroup('room1');
    await waitFor('left ann room1');
  });

  it('reports joins and leaves made over REST for a connection, a user and in bulk', async () => {
    const client = await connect('bob');
    const connectionId = connectionIds.get(client)!;
    const service = serviceClient(emulator, 'chat');
    await service.group('rest-a').addConnection(connectionId);
    await waitFor('joined bob rest-a');
    await service.group('rest-b').addUser('bob');
    await waitFor('joined bob rest-b');
    await service.group('rest-a').removeConnection(connectionId);
    await waitFor('left bob rest-a');
    await service.addConnectionsToGroups(['rest-c'], "userId eq 'bob'");
    await waitFor('joined bob rest-c');
    await service.removeConnectionsFromGroups(['rest-c'], "userId eq 'bob'");
    await waitFor('left bob rest-c');
    await service.group('rest-b').removeUser('bob');
    await waitFor('left bob rest-b');
  });

  it('reports the groups of a connect reply, and every group a connection is in when it closes', async () => {
    const client = await connect('carl');
    await waitFor('joined carl from-connect');
    await client.joinGroup('room2');
    await waitFor('joined carl room2');
    client.stop();
    await waitFor('left carl from-connect');
    await waitFor('left carl room2');
  });

  it('sends nothing for groups no handler asks for, and nothing for a join that changes nothing', async () => {
    const client = await connect('dee');
    await client.joinGroup('quiet-1');
    await client.joinGroup('room3');
    await client.joinGroup('room3');
    await waitFor('joined dee room3');
    await client.leaveGroup('room3');
    await waitFor('left dee room3');
    expect(seen.filter((l) => l.includes('quiet'))).toEqual([]);
    expect(seen.filter((l) => l === 'joined dee room3')).toHaveLength(1);
  });
});
