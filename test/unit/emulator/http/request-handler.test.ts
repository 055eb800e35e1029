import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestHandler } from '../../../../emulator/http/request-handler';

describe('plain HTTP requests', () => {
  let server: http.Server;
  let base: string;
  const restCalls: string[] = [];

  beforeAll(async () => {
    server = http.createServer(
      createRequestHandler((req, res) => {
        restCalls.push(req.url ?? '');
        res.end('rest');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('hands /api/ paths to the REST data plane', async () => {
    expect(await (await fetch(`${base}/api/health?x=1`)).text()).toBe('rest');
    expect(restCalls).toEqual(['/api/health?x=1']);
  });

  it('answers a client URL without an upgrade with 426', async () => {
    const r = await fetch(`${base}/client/hubs/chat`);
    expect(r.status).toBe(426);
    expect(await r.text()).toMatch(/WebSocket endpoint/);
  });

  it('answers anything else with 404 and a map of the emulator', async () => {
    const r = await fetch(`${base}/elsewhere`);
    expect(r.status).toBe(404);
    expect(await r.text()).toMatch(/Clients: ws:\/\/<host>\/client\/hubs\/<hub>/);
  });
});
