import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { createUpgradeListener, pathOf, rejectUpgrade, selectedProtocol, selectProtocol } from '../../../../emulator/client/upgrade';

function socket() {
  const s = new PassThrough();
  const written: Buffer[] = [];
  s.on('data', (d: Buffer) => written.push(d));
  return { s, text: () => Buffer.concat(written).toString() };
}

const request = (headers: Record<string, string>, url = '/client/hubs/chat?access_token=secret') =>
  ({ url, headers, rawHeaders: [] }) as unknown as IncomingMessage;

describe('upgrade screen', () => {
  it('refuses a request that is not a WebSocket upgrade with 400, without running the handshake', async () => {
    const { s, text } = socket();
    const handshake = jest.fn(async () => {});
    createUpgradeListener({ isShuttingDown: () => false, handshake, log: () => {} })(request({ upgrade: 'h2c' }), s, Buffer.alloc(0));
    await new Promise((r) => setImmediate(r));
    expect(handshake).not.toHaveBeenCalled();
    expect(text()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\r\n\r\nnot a WebSocket upgrade request\n$/);
  });

  it('gives every socket the same error listener, so an open connection does not keep its upgrade request alive', async () => {
    // A listener created inside the upgrade listener shared its scope, which holds the request (its URL
    // carries the access token): the socket kept it for the connection's whole life.
    const listen = createUpgradeListener({ isShuttingDown: () => false, handshake: async () => {}, log: () => {} });
    const a = socket();
    const b = socket();
    listen(request({ upgrade: 'websocket', 'sec-websocket-key': 'k' }), a.s, Buffer.alloc(0));
    listen(request({ upgrade: 'websocket', 'sec-websocket-key': 'k' }, '/client/hubs/other?access_token=x'), b.s, Buffer.alloc(0));
    await new Promise((r) => setImmediate(r));
    const [onErrorA] = a.s.listeners('error');
    const [onErrorB] = b.s.listeners('error');
    expect(onErrorA).toBeDefined();
    expect(onErrorA).toBe(onErrorB);
    expect(() => a.s.emit('error', new Error('reset'))).not.toThrow();
  });

  it('cuts every upgrade once shutdown began', () => {
    const { s } = socket();
    const handshake = jest.fn(async () => {});
    createUpgradeListener({ isShuttingDown: () => true, handshake, log: () => {} })(
      request({ upgrade: 'websocket', 'sec-websocket-key': 'k' }),
      s,
      Buffer.alloc(0),
    );
    expect(s.destroyed).toBe(true);
    expect(handshake).not.toHaveBeenCalled();
  });

  it('answers 500 when the handshake throws, and logs the path without the query', async () => {
    const { s, text } = socket();
    const lines: string[] = [];
    createUpgradeListener({ isShuttingDown: () => false, handshake: async () => Promise.reject(new Error('boom')), log: (l) => lines.push(l) })(
      request({ upgrade: 'websocket', 'sec-websocket-key': 'k' }),
      s,
      Buffer.alloc(0),
    );
    await new Promise((r) => setImmediate(r));
    expect(text()).toMatch(/^HTTP\/1\.1 500 Internal Server Error/);
    expect(lines.join('\n')).toContain('/client/hubs/chat');
    expect(lines.join('\n')).not.toContain('secret');
  });

  it('rejectUpgrade writes a complete response with its length', () => {
    const { s, text } = socket();
    rejectUpgrade(s, 401, 'no token');
    expect(text()).toContain('Content-Length: 9\r\n\r\nno token\n');
  });

  it('carries the chosen subprotocol on the request', () => {
    const req = request({});
    expect(selectedProtocol(req)).toBe(false);
    selectProtocol(req, 'json.webpubsub.azure.v1');
    expect(selectedProtocol(req)).toBe('json.webpubsub.azure.v1');
    expect(pathOf({ url: '/a/b?x=1' })).toBe('/a/b');
  });
});
