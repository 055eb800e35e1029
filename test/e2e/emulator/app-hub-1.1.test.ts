import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebPubSubClient, WebPubSubJsonProtocol } from '@azure/web-pubsub-client';
import type { RunningEmulator } from '../../../emulator/server';
import { defineHub } from '../../../shared/hub/hub-definition';
import { handleUpstreamEvent } from '../../../shared/upstream/request-pipeline';
import type { Runtime } from '../../../shared/config/app-runtime';
import { runtimeFor } from '../../support/functions-harness';
import { clientUrl, once, start } from '../../support/emulator-harness';

/**
 * The app's hub API with the 1.1.0 features, behind its real upstream pipeline (signature check, parser,
 * dispatch) and the emulator: an onUserEvent return value answers an invokeEvent, and onGroupJoined /
 * onGroupLeft fire (docs/protocol/client-sdk-features.md §2, §5).
 */
describe('hub API: invocations and group presence through the app pipeline', () => {
  let emulator: RunningEmulator;
  let server: http.Server;
  let runtime: Runtime | undefined;
  const presence: string[] = [];
  const wake: (() => void)[] = [];
  const clients: WebPubSubClient[] = [];

  const hub = defineHub({
    name: 'chat',
    onUserEvent: {
      price: (request, ctx) => {
        ctx.setState('asked', true);
        const { item } = request.data as { item: string };
        return { dataType: 'json', data: { item, price: item.length * 10 } };
      },
    },
    onGroupJoined: (request) => {
      presence.push(`joined ${request.context.userId} ${request.group}`);
      for (const w of wake.splice(0)) w();
    },
    onGroupLeft: (request) => {
      presence.push(`left ${request.context.userId} ${request.group}`);
      for (const w of wake.splice(0)) w();
    },
  });

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(200, { 'WebHook-Allowed-Origin': '*' }).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = { get: (name: string) => (req.headers[name.toLowerCase()] as string | undefined) ?? null };
        const noop = () => undefined;
        handleUpstreamEvent({ headers, readBody: async () => Buffer.concat(chunks) }, runtime!, { info: noop, warn: noop, error: noop }).then(
          (reply) => res.writeHead(reply.status, reply.headers ?? {}).end(reply.body === undefined ? undefined : Buffer.from(reply.body)),
          (e: { status?: number; message?: string }) => res.writeHead(e.status ?? 500).end(e.message),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/eventhandler`;
    emulator = await start({
      hubs: { chat: { eventHandlers: [{ urlTemplate: url, systemEvents: [], groupPresenceEvents: { eventNames: ['joined', 'left'] } }] } },
    });
    runtime = runtimeFor({ WebPubSubConnectionString: emulator.connectionString, WebPubSubHub: 'chat' }, { hubDefinitions: [hub] });
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

  it('answers invokeEvent with the onUserEvent return value, and reports the join and the leave', async () => {
    const client = new WebPubSubClient(
      { getClientAccessUrl: () => clientUrl(emulator, 'chat', { userId: 'una', roles: ['webpubsub.joinLeaveGroup'] }) },
      { protocol: WebPubSubJsonProtocol(), keepAliveIntervalInMs: 0, keepAliveTimeoutInMs: 0, messageRetryOptions: { maxRetries: 0 } },
    );
    clients.push(client);
    const connected = once<unknown>((l) => client.on('connected', l));
    await client.start();
    await connected;

    const result = await client.invokeEvent('price', { item: 'pear' }, 'json');
    expect(result).toMatchObject({ dataType: 'json', data: { item: 'pear', price: 40 } });

    await client.joinGroup('shop');
    await client.leaveGroup('shop');
    while (presence.length < 2) await new Promise<void>((r) => wake.push(r));
    // Two independent upstream POSTs: compare without order.
    expect([...presence].sort()).toEqual(['joined una shop', 'left una shop']);
  });
});
