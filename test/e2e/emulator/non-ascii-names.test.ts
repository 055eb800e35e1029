import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebPubSubEventHandler } from '@azure/web-pubsub-express';
import express from 'express';
import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, RawClient, start } from '../../support/emulator-harness';

/**
 * Names outside Latin-1 (red-team item 2): `ce-userId` and `ce-eventName` travel percent-encoded (the
 * CloudEvents HTTP binding), so the connect event reaches the app instead of failing inside Node.
 * The emulator is given a 30 s retry delay: a local error retried as a network failure would outlast
 * the test timeout, so "promptly" needs no timed assertion.
 */
describe('User ids and event names outside Latin-1, through an express upstream', () => {
  let emulator: RunningEmulator;
  let server: http.Server;
  const seen: { event: string; userId?: string; eventName?: string; data?: string }[] = [];
  let wake = () => {};

  const waitFor = (pred: (e: (typeof seen)[number]) => boolean) =>
    new Promise<(typeof seen)[number]>((resolve) => {
      const check = () => {
        const hit = seen.find(pred);
        if (hit) resolve(hit);
      };
      const previous = wake;
      wake = () => {
        previous();
        check();
      };
      check();
    });

  beforeAll(async () => {
    const handler = new WebPubSubEventHandler('chat', {
      handleConnect: (req, res) => {
        seen.push({ event: 'connect', ...(req.context.userId !== undefined ? { userId: req.context.userId } : {}) });
        wake();
        res.success();
      },
      handleUserEvent: (req, res) => {
        seen.push({ event: 'user', eventName: req.context.eventName, data: String(req.data) });
        wake();
        res.success(`ok ${String(req.data)}`, 'text');
      },
    });
    const app = express();
    app.use(handler.getMiddleware());
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    emulator = await start({
      upstreamTimeoutMs: 120_000,
      upstreamRetryDelaysMs: [30_000],
      hubs: { chat: { eventHandlers: [{ urlTemplate: `${base}/api/webpubsub/hubs/{hub}/`, userEventPattern: '*', systemEvents: ['connect'] }] } },
    });
  });
  afterAll(async () => {
    await emulator.close();
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });

  it('connects a user named Дмитрий: the app gets the percent-encoded name, the client its own name', async () => {
    const client = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'Дмитрий' }), 'json.webpubsub.azure.v1');
    try {
      expect(await client.json(0)).toMatchObject({ type: 'system', event: 'connected', userId: 'Дмитрий' });
      const connect = await waitFor((e) => e.event === 'connect');
      expect(connect.userId).toBe('%D0%94%D0%BC%D0%B8%D1%82%D1%80%D0%B8%D0%B9');
      expect(decodeURIComponent(connect.userId!)).toBe('Дмитрий');
      expect(emulator.ops.userExists('chat', 'Дмитрий')).toBe(true);
    } finally {
      client.close();
    }
  }, 15_000);

  it('delivers events named событие one after another without stalling the connection', async () => {
    const client = await RawClient.open(await clientUrl(emulator, 'chat', { userId: 'zoë' }), 'json.webpubsub.azure.v1');
    try {
      await client.json(0);
      for (const n of [1, 2, 3]) client.send({ type: 'event', event: 'событие', dataType: 'text', data: `m${n}`, ackId: n });
      for (const n of [1, 2, 3]) {
        const hit = await waitFor((e) => e.event === 'user' && e.data === `m${n}`);
        expect(decodeURIComponent(hit.eventName!)).toBe('событие');
      }
      const reply = await client.find((m) => m.type === 'message' && m.data === 'ok m3');
      expect(reply).toMatchObject({ from: 'server', dataType: 'text' });
    } finally {
      client.close();
    }
  }, 15_000);
});
