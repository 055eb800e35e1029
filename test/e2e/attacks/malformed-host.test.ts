import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { CoreRuntime } from '../../../local-host/core-runtime';
import { createRequestListener } from '../../../local-host/server';
import type { RunningEmulator } from '../../../emulator/server';
import { start } from '../../support/emulator-harness';

/**
 * Red-team item 6: a malformed Host header got a 500 and a stack trace from the local host. Both servers
 * now answer 400 with a plain message on every path, and keep serving.
 */

/** A raw HTTP exchange: the head is sent exactly as written (fetch would refuse these headers). */
function raw(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(head));
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

const get = (path: string, host: string) => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
const upgrade = (path: string, host: string) =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
const BAD_HOSTS = ['[', 'a b', 'x@y', 'localhost:99999'];

describe('Malformed Host header: local Functions host', () => {
  let server: http.Server;
  let port: number;
  const logged: string[] = [];
  beforeAll(async () => {
    const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
    const listener = createRequestListener({
      runtime: { registrations: new Map() } as unknown as CoreRuntime,
      table: { routes: [], unsupported: [] },
      cors: { origins: [], credentials: false },
      log,
      runtimeLog: () => {},
    });
    server = http.createServer(listener);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each(BAD_HOSTS)('answers 400 with a message, not 500, for Host %j', async (host) => {
    const reply = await raw(port, get('/api/negotiate', host));
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('The Host header is not a valid host name');
    expect(reply).not.toMatch(/at .*\.ts:\d+/);
  });

  it('logs one warning line and no stack trace, then keeps serving', async () => {
    expect(logged.some((l) => /Unexpected host error|stack|\n\s+at /.test(l))).toBe(false);
    expect(logged.some((l) => l.startsWith('Rejected GET request (400): The Host header'))).toBe(true);
    expect(await raw(port, get('/', 'localhost'))).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('Malformed Host header and request target: emulator', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());

  it.each(BAD_HOSTS)('answers 400 on REST, plain and upgrade paths for Host %j', async (host) => {
    for (const path of ['/api/health', '/api/hubs/chat/:generateToken?api-version=2024-12-01', '/other']) {
      expect(await raw(emulator.port, get(path, host))).toMatch(/^HTTP\/1\.1 400 [^]*The Host header is not a valid host name/);
    }
    expect(await raw(emulator.port, upgrade('/client/hubs/chat?access_token=x', host))).toMatch(/^HTTP\/1\.1 400 [^]*The Host header is not a valid host name/);
  });

  it('answers 400 to an absolute-form target that new URL cannot parse, and stays up', async () => {
    expect(await raw(emulator.port, get('http://[', 'localhost'))).toMatch(/^HTTP\/1\.1 400 [^]*request target/);
    expect(await raw(emulator.port, get('/api/health', `localhost:${emulator.port}`))).toMatch(/^HTTP\/1\.1 200 /);
  });
});
