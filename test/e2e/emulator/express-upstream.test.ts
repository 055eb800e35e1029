import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebPubSubClient, WebPubSubJsonProtocol, type OnServerDataMessageArgs } from '@azure/web-pubsub-client';
import { WebPubSubEventHandler } from '@azure/web-pubsub-express';
import express from 'express';
import type { RunningEmulator } from '../../../emulator/server';
import { verifySignature } from '../../../shared/auth/upstream-signature';
import { clientUrl, KEY, once, RawClient, SECONDARY_KEY, start } from '../../support/emulator-harness';

describe('@azure/web-pubsub-express 1.1.0 as the upstream', () => {
  let emulator: RunningEmulator;
  let server: http.Server;
  const seen: { event: string; userId?: string; signatureOk?: boolean; state?: unknown }[] = [];
  let notify = () => {};
  const record = (e: (typeof seen)[number]) => {
    seen.push(e);
    notify();
  };
  const waitForSeen = (pred: (e: (typeof seen)[number]) => boolean) =>
    new Promise<(typeof seen)[number]>((resolve) => {
      notify = () => {
        const hit = seen.find(pred);
        if (hit) resolve(hit);
      };
      notify();
    });
  const clients: WebPubSubClient[] = [];

  beforeAll(async () => {
    const handler = new WebPubSubEventHandler('chat', {
      handleConnect: (req, res) => {
        record({
          event: 'connect',
          userId: req.context.userId,
          signatureOk: verifySignature(req.context.connectionId, req.context.signature, [KEY, SECONDARY_KEY]),
        });
        // The handler decides the identity: a user id, a group joined at once and a role.
        res.setState('visits', 1);
        res.success({ userId: `${req.context.userId ?? 'anon'}-checked`, groups: ['lobby'], roles: ['webpubsub.sendToGroup.lobby'] });
      },
      onConnected: (req) => record({ event: 'connected', userId: req.context.userId, state: req.context.states }),
      handleUserEvent: (req, res) => {
        record({ event: req.context.eventName, userId: req.context.userId, state: req.context.states });
        res.success(`you said ${String(req.data)}`, 'text');
      },
      onDisconnected: (req) => record({ event: 'disconnected', userId: req.context.userId }),
    });
    const app = express();
    app.use(handler.getMiddleware());
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    emulator = await start({
      keys: [KEY, SECONDARY_KEY],
      hubs: { chat: { eventHandlers: [{ urlTemplate: `${base}/api/webpubsub/hubs/{hub}/` }] } },
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

  it('passes validation, applies the handleConnect reply and returns the handleUserEvent reply', async () => {
    const client = new WebPubSubClient(
      { getClientAccessUrl: () => clientUrl(emulator, 'chat', { userId: 'zoe' }) },
      {
        // The JSON protocol has no sequence-ack loop, whose 1 s timer would outlive stop() (the reliable protocol is covered in sdk-client.test.ts).
        protocol: WebPubSubJsonProtocol(),
        keepAliveIntervalInMs: 0,
        keepAliveTimeoutInMs: 0,
        messageRetryOptions: { maxRetries: 0 },
      },
    );
    clients.push(client);
    const connected = once<{ userId?: string }>((l) => client.on('connected', l));
    await client.start();
    expect((await connected).userId).toBe('zoe-checked');
    expect(await waitForSeen((e) => e.event === 'connect')).toMatchObject({ userId: 'zoe', signatureOk: true });
    // State set by handleConnect comes back on later events.
    expect(await waitForSeen((e) => e.event === 'connected')).toMatchObject({ userId: 'zoe-checked', state: { visits: 1 } });
    expect(emulator.ops.groupExists('chat', 'lobby')).toBe(true);

    const reply = once<OnServerDataMessageArgs>((l) => client.on('server-message', l));
    await client.sendEvent('say', 'hello', 'text');
    expect((await reply).message).toMatchObject({ dataType: 'text', data: 'you said hello' });
    expect(await waitForSeen((e) => e.event === 'say')).toMatchObject({ userId: 'zoe-checked', state: { visits: 1 } });

    // The role from handleConnect allows sending to lobby only.
    await expect(client.sendToGroup('lobby', 'x', 'text')).resolves.toMatchObject({ isDuplicated: false });
    await expect(client.sendToGroup('elsewhere', 'x', 'text', { ackId: 999 })).rejects.toMatchObject({ errorDetail: { name: 'Forbidden' } });
  });

  it('delivers the disconnected event when a JSON client leaves', async () => {
    const raw = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'yan' }), 'json.webpubsub.azure.v1');
    expect(await raw.json(0)).toMatchObject({ event: 'connected', userId: 'yan-checked' });
    raw.ws.close();
    expect(await waitForSeen((e) => e.event === 'disconnected' && e.userId === 'yan-checked')).toBeDefined();
  });
});
