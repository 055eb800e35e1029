import net from 'node:net';
import { signHs256 } from '../../../emulator/auth/hs256';
import type { RunningEmulator } from '../../../emulator/server';
import { createNegotiateHandler } from '../../../functions/negotiate';
import { invocation, request, runtimeFor } from '../../support/functions-harness';
import { clientUrl, FakeUpstream, KEY, RawClient, start } from '../../support/emulator-harness';

/**
 * CR/LF smuggled through user ids and group names must never split a header: not in the upstream
 * CloudEvents request (`ce-userId`), not in any response.
 */

const EVIL = 'eve\r\nInjected: 1';

function noInjectedHeader(headers: Record<string, unknown>): void {
  expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain('injected');
  for (const v of Object.values(headers)) expect(String(v)).not.toMatch(/[\r\n]/);
}

/** A raw HTTP exchange, so the response head is seen exactly as sent. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(head));
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

describe('Header injection through user ids and group names', () => {
  let upstream: FakeUpstream;
  let emulator: RunningEmulator;
  beforeAll(async () => {
    upstream = new FakeUpstream();
    const url = await upstream.listen();
    emulator = await start({
      hubs: {
        chat: { eventHandlers: [{ urlTemplate: `${url}/api/eventhandler`, userEventPattern: '*', systemEvents: ['connect', 'connected', 'disconnected'] }] },
      },
    });
  });
  afterAll(async () => {
    await emulator.close();
    await upstream.close();
  });

  it('negotiate refuses a userId with CR/LF (400) before any token exists', async () => {
    const { context } = invocation();
    const res = await createNegotiateHandler(runtimeFor({}))(
      request({ method: 'GET', url: `http://localhost/api/negotiate?userId=${encodeURIComponent(EVIL)}` }),
      context,
    );
    expect(res.status).toBe(400);
    noInjectedHeader((res.headers ?? {}) as Record<string, unknown>);
  });

  it('a client token whose sub carries CR/LF is refused at the handshake (400), and nothing reaches the upstream', async () => {
    const before = upstream.requests.length;
    const token = signHs256({ aud: `http://localhost:${emulator.port}/client/hubs/chat`, exp: Math.floor(Date.now() / 1000) + 60, sub: EVIL }, KEY);
    expect(await RawClient.refusal(`ws://localhost:${emulator.port}/client/hubs/chat?access_token=${token}`, 'json.webpubsub.azure.v1')).toBe(400);
    expect(upstream.requests.slice(before).filter((r) => r.method === 'POST')).toHaveLength(0);
    for (const r of upstream.requests) noInjectedHeader(r.headers);
  });

  it(':generateToken refuses a userId with CR/LF (400)', async () => {
    // With an access key the SDK signs locally (docs/protocol/auth.md §5), so the REST call is made by hand.
    const path = `/api/hubs/chat/:generateToken?api-version=2024-12-01&userId=${encodeURIComponent(EVIL)}`;
    const url = `http://localhost:${emulator.port}${path}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${signHs256({ aud: url, exp: Math.floor(Date.now() / 1000) + 60 }, KEY)}` },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/control characters/);
  });

  it('a connect reply that sets a userId with CR/LF is an invalid reply (500), never a split ce-userId later', async () => {
    const saved = upstream.reply;
    upstream.reply = (e) =>
      e.headers['ce-type'] === 'azure.webpubsub.sys.connect'
        ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: EVIL }) }
        : { status: 204 };
    try {
      expect(await RawClient.refusal(await clientUrl(emulator, 'chat', { userId: 'u' }), 'json.webpubsub.azure.v1')).toBe(500);
      for (const r of upstream.requests) noInjectedHeader(r.headers);
    } finally {
      upstream.reply = saved;
    }
  });

  it('a group name with CR/LF is plain data: joined, delivered with the exact name, no header anywhere', async () => {
    const group = 'room\r\nInjected: 1';
    const c = await RawClient.open(
      await clientUrl(emulator, 'chat', { userId: 'u', roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'] }),
      'json.webpubsub.azure.v1',
    );
    await c.json(0);
    c.send({ type: 'joinGroup', group, ackId: 1 });
    expect(await c.find((m) => m.type === 'ack')).toMatchObject({ success: true });
    c.send({ type: 'sendToGroup', group, dataType: 'text', data: 'hi', ackId: 2 });
    expect(await c.find((m) => m.type === 'message')).toMatchObject({ from: 'group', group, data: 'hi' });
    c.send({ type: 'event', event: 'message', dataType: 'text', data: group, ackId: 3 });
    await c.find((m) => m.type === 'ack' && m.ackId === 3);
    for (const r of upstream.requests) noInjectedHeader(r.headers);
    c.close();
  });

  it('REST paths with %0D%0A in group and user names answer without a split response header', async () => {
    const path = '/api/hubs/chat/groups/a%0D%0AInjected:%201/:send?api-version=2024-12-01';
    const token = signHs256({ aud: `http://localhost:${emulator.port}${path}`, exp: Math.floor(Date.now() / 1000) + 60 }, KEY);
    const answer = await rawRequest(
      emulator.port,
      `POST ${path} HTTP/1.1\r\nHost: localhost:${emulator.port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`,
    );
    const head = answer.slice(0, answer.indexOf('\r\n\r\n'));
    expect(head).toMatch(/^HTTP\/1\.1 202/);
    expect(head.toLowerCase()).not.toContain('injected');
    const bad = await rawRequest(emulator.port, `HEAD /api/hubs/chat/users/a%0D%0AInjected:%201 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    expect(bad.slice(0, bad.indexOf('\r\n\r\n')).toLowerCase()).not.toContain('injected');
  });
});
