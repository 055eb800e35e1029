import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../emulator/server';
import { clientUrl, RawClient, start } from '../../support/emulator-harness';
import { spawnGroup } from '../../support/process-group';
import { repoRoot } from '../../support/stack';

/**
 * Slow-loris on both sides: an upstream that accepts and never answers (the emulator's timeout fires and
 * every upstream socket is released), and HTTP clients that trickle their headers byte by byte (the
 * server's headersTimeout cuts them).
 */

/** An upstream that validates fine but never answers an event; it counts the sockets still open. */
class SilentUpstream {
  readonly open = new Set<net.Socket>();
  posts = 0;
  private closedWaiters: (() => void)[] = [];
  private server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(200, { 'WebHook-Allowed-Origin': '*' });
      res.end();
      return;
    }
    this.posts++;
    req.resume(); // read the body, never answer
  });
  constructor() {
    this.server.on('connection', (s) => {
      this.open.add(s);
      s.on('close', () => {
        this.open.delete(s);
        const w = this.closedWaiters;
        this.closedWaiters = [];
        w.forEach((f) => f());
      });
    });
  }
  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async waitForOpenAtMost(n: number): Promise<void> {
    while (this.open.size > n) await new Promise<void>((r) => this.closedWaiters.push(r));
  }
  close(): Promise<void> {
    return new Promise((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}

/** Sends an HTTP request head one byte at a time, forever; resolves when the server closes the socket. */
function trickle(port: number, head: string): { closed: Promise<{ bytesSent: number; answer: string }>; stop: () => void } {
  const socket = net.connect(port, '127.0.0.1');
  let i = 0;
  let answer = '';
  let timer: NodeJS.Timeout | undefined;
  socket.on('data', (d) => (answer += d.toString()));
  socket.on('error', () => {});
  const closed = new Promise<{ bytesSent: number; answer: string }>((resolve) =>
    socket.on('close', () => (clearInterval(timer), resolve({ bytesSent: i, answer }))),
  );
  socket.on('connect', () => {
    timer = setInterval(() => {
      if (socket.destroyed) return;
      socket.write(head[i % head.length]!);
      i++;
    }, 50);
  });
  return { closed, stop: () => (clearInterval(timer), socket.destroy()) };
}

describe('Slow-loris upstream', () => {
  let upstream: SilentUpstream;
  let emulator: RunningEmulator;
  beforeAll(async () => {
    upstream = new SilentUpstream();
    const url = await upstream.listen();
    emulator = await start({
      upstreamTimeoutMs: 400,
      upstreamRetryDelaysMs: [],
      hubs: {
        slow: { eventHandlers: [{ urlTemplate: `${url}/api/eventhandler`, userEventPattern: '*', systemEvents: ['connect'] }] },
        slowevents: { eventHandlers: [{ urlTemplate: `${url}/api/eventhandler`, userEventPattern: '*', systemEvents: [] }] },
      },
    });
  });
  afterAll(async () => {
    await emulator.close();
    await upstream.close();
  });

  it('connect: each handshake fails with 500 after the upstream timeout, and every upstream socket is released', async () => {
    const url = await clientUrl(emulator, 'slow', { userId: 'u' });
    const statuses = await Promise.all(Array.from({ length: 20 }, () => RawClient.refusal(url, 'json.webpubsub.azure.v1')));
    expect(statuses).toEqual(Array(20).fill(500));
    expect(upstream.posts).toBe(20);
    // Nothing keeps the hung requests: the emulator destroyed every socket that carried one (at most one idle keep-alive socket remains).
    await upstream.waitForOpenAtMost(1);
  });

  it('user event: the client gets an InternalServerError ack, the connection stays usable, later frames still run', async () => {
    const c = await RawClient.open(await clientUrl(emulator, 'slowevents', { userId: 'u' }), 'json.webpubsub.azure.v1');
    await c.json(0);
    for (let i = 1; i <= 5; i++) c.send({ type: 'event', event: 'message', dataType: 'text', data: `m${i}`, ackId: i });
    c.send({ type: 'ping' });
    for (let i = 1; i <= 5; i++) {
      const ack = await c.find((m) => m.type === 'ack' && m.ackId === i);
      expect(ack).toMatchObject({ success: false, error: { name: 'InternalServerError' } });
      expect(String((ack.error as { message: string }).message)).toMatch(/no reply within 400 ms/);
    }
    await c.find((m) => m.type === 'pong');
    c.close();
    await upstream.waitForOpenAtMost(1);
  });
});

describe('Slow-loris HTTP clients', () => {
  it('the emulator cuts a client that trickles REST request headers (headersTimeout), and keeps answering others', async () => {
    const emulator = await start({ headersTimeoutMs: 1000 });
    try {
      const loris = [1, 2, 3].map(() => trickle(emulator.port, 'GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(10_000)));
      const health = await fetch(`http://localhost:${emulator.port}/api/health`);
      expect(health.status).toBe(200);
      for (const l of loris) {
        const { answer } = await l.closed;
        // Node answers 408 Request Timeout, or just closes.
        expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
      }
    } finally {
      await emulator.close();
    }
  });

  it('the local Functions host cuts a client that trickles its headers (--headers-timeout), and keeps answering others', async () => {
    const host = spawnGroup(
      process.execPath,
      [
        join(repoRoot, 'dist', 'local-host', 'main.js'),
        '--port',
        '0',
        '--app',
        join(repoRoot, 'test', 'fixtures', 'local-host-app'),
        '--headers-timeout',
        '1000',
      ],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH },
      },
    );
    try {
      const [, port] = await host.waitForOutput(/Host listening on http:\/\/localhost:(\d+)/);
      const loris = [1, 2, 3].map(() => trickle(Number(port), 'GET /api/hello HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(10_000)));
      const res = await fetch(`http://localhost:${port}/`);
      expect(res.status).toBeLessThan(500);
      for (const l of loris) {
        const { answer } = await l.closed;
        expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
      }
    } finally {
      await host.stop('SIGTERM');
    }
  });
});
