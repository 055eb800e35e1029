import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen, serverOptions, type ServerFactory } from '../../../../emulator/http/listener';

describe('listener', () => {
  it('bounds slow clients: the request timeout is never below the headers timeout', () => {
    expect(serverOptions({ headersTimeout: 20_000, requestTimeout: 5000 })).toEqual({
      keepAliveTimeout: 5000,
      headersTimeout: 20_000,
      requestTimeout: 20_000,
      connectionsCheckingInterval: 1000,
    });
  });

  it('creates every server through the injected factory with the timeouts, and serves requests', async () => {
    const made: http.ServerOptions[] = [];
    const factory: ServerFactory = (options, onRequest) => {
      made.push(options);
      return http.createServer(options, onRequest);
    };
    const listener = await listen({
      host: '127.0.0.1',
      port: 0,
      onRequest: (_req, res) => res.end('ok'),
      onUpgrade: (_req, socket) => socket.destroy(),
      timeouts: { headersTimeout: 2000, requestTimeout: 3000 },
      createServer: factory,
    });
    try {
      expect(made).toEqual([serverOptions({ headersTimeout: 2000, requestTimeout: 3000 })]);
      expect(listener.port).toBe((listener.servers[0]!.address() as AddressInfo).port);
      const res = await fetch(`http://127.0.0.1:${listener.port}/`);
      expect(await res.text()).toBe('ok');
    } finally {
      await listener.close();
    }
    expect(listener.servers[0]!.listening).toBe(false);
  });

  it('without a host, listens on loopback (127.0.0.1, and ::1 on the same port when there is IPv6)', async () => {
    const listener = await listen({
      host: undefined,
      port: 0,
      onRequest: (_q, r) => r.end(),
      onUpgrade: (_q, s) => s.destroy(),
      timeouts: { headersTimeout: 1000, requestTimeout: 1000 },
    });
    try {
      const addresses = listener.servers.map((s) => (s.address() as AddressInfo).address);
      expect(addresses[0]).toBe('127.0.0.1');
      if (addresses.length > 1) expect(addresses[1]).toBe('::1');
      expect(new Set(listener.servers.map((s) => (s.address() as AddressInfo).port))).toEqual(new Set([listener.port]));
    } finally {
      await listener.close();
    }
  });

  it('reports a port already in use', async () => {
    const first = await listen({
      host: '127.0.0.1',
      port: 0,
      onRequest: (_q, r) => r.end(),
      onUpgrade: (_q, s) => s.destroy(),
      timeouts: { headersTimeout: 1000, requestTimeout: 1000 },
    });
    try {
      await expect(
        listen({
          host: '127.0.0.1',
          port: first.port,
          onRequest: (_q, r) => r.end(),
          onUpgrade: (_q, s) => s.destroy(),
          timeouts: { headersTimeout: 1000, requestTimeout: 1000 },
        }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});
