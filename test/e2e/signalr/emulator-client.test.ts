import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode } from '@msgpack/msgpack';
import { startSignalREmulator, type RunningSignalREmulator } from '../../../emulator/signalr/signalr-server';
import {
  clientToken,
  directConnection,
  nextMessage,
  restCall,
  restToken,
  TEST_KEY,
  type ProtocolName,
  type TransportName,
} from '../../support/signalr-clients';

/**
 * The SignalR emulator driven by the official @microsoft/signalr client on each transport and
 * protocol, with a recording upstream (a plain HTTP server) standing in for the event handler.
 */

interface Recorded {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const SECOND_KEY = 'signalr-second-key-fedcba9876543210';
let emu: RunningSignalREmulator;
let upstream: http.Server;
const recorded: Recorded[] = [];
let upstreamReply: (r: Recorded) => { status: number; body?: string } = () => ({ status: 200 });

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks) };
      recorded.push(r);
      const reply = upstreamReply(r);
      res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(reply.body ?? '');
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const up = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/upstream/{hub}/{category}/{event}`;
  emu = await startSignalREmulator({ port: 0, keys: [TEST_KEY, SECOND_KEY], upstreams: { chat: up } });
});

afterAll(async () => {
  await emu.close();
  await new Promise<void>((r) => upstream.close(() => r()));
});

beforeEach(() => {
  recorded.length = 0;
  upstreamReply = () => ({ status: 200 });
});

async function connect(user: string | undefined, transport: TransportName, protocol: ProtocolName, hub = 'chat') {
  const token = await clientToken(emu.endpoint, hub, user);
  const conn = directConnection(`${emu.endpoint}/client/?hub=${hub}`, token, transport, protocol);
  await conn.start();
  return conn;
}

async function until<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hubUrl = (path: string): string => `${emu.endpoint}/api/hubs/chat${path}${path.includes('?') ? '&' : '?'}api-version=2022-06-01`;

describe.each<[TransportName, ProtocolName]>([
  ['WebSockets', 'json'],
  ['WebSockets', 'messagepack'],
  ['ServerSentEvents', 'json'],
  ['LongPolling', 'json'],
  ['LongPolling', 'messagepack'],
])('%s with the %s protocol', (transport, protocol) => {
  it('connects, sends connected upstream, receives a broadcast, and forwards invocations with a valid signature', async () => {
    const conn = await connect('alice', transport, protocol);
    try {
      expect(conn.connectionId).toBeTruthy();
      const connected = await until(() => recorded.find((r) => r.headers['x-asrs-event'] === 'connected'));
      expect(connected.headers['x-asrs-hub']).toBe('chat');
      expect(connected.headers['x-asrs-category']).toBe('connections');
      expect(connected.headers['x-asrs-user-id']).toBe('alice');
      expect(connected.headers['x-asrs-connection-id']).toBe(conn.connectionId);
      const expected = [TEST_KEY, SECOND_KEY].map((k) => `sha256=${createHmac('sha256', k).update(conn.connectionId!).digest('hex')}`).join(',');
      expect(connected.headers['x-asrs-signature']).toBe(expected);

      const got = nextMessage(conn, 'news');
      expect((await restCall('POST', hubUrl('/:send'), { target: 'news', arguments: [{ n: 1, text: 'héllo' }, 'two'] })).status).toBe(202);
      expect(await got).toEqual([{ n: 1, text: 'héllo' }, 'two']);

      await conn.send('broadcast', { text: 'hi' }, 3);
      const invocation = await until(() => recorded.find((r) => r.headers['x-asrs-event'] === 'broadcast'));
      expect(invocation.headers['x-asrs-category']).toBe('messages');
      if (protocol === 'json') {
        expect(invocation.headers['content-type']).toBe('application/json');
        expect(JSON.parse(invocation.body.toString())).toMatchObject({ type: 1, target: 'broadcast', arguments: [{ text: 'hi' }, 3] });
      } else {
        expect(invocation.headers['content-type']).toBe('application/x-msgpack');
        // A length prefix (one byte here), then the MessagePack array [1, headers, id, target, arguments, streamIds].
        const decoded = decode(invocation.body.subarray(1)) as unknown[];
        expect(decoded[0]).toBe(1);
        expect(decoded[3]).toBe('broadcast');
        expect(decoded[4]).toEqual([{ text: 'hi' }, 3]);
      }
    } finally {
      await conn.stop();
    }
    const disconnected = await until(() => recorded.find((r) => r.headers['x-asrs-event'] === 'disconnected'));
    expect(disconnected.headers['x-asrs-category']).toBe('connections');
  });

  it('answers invoke with the upstream completion, and with an error when the upstream fails', async () => {
    upstreamReply = (r) =>
      r.headers['x-asrs-event'] === 'add'
        ? { status: 200, body: JSON.stringify({ type: 3, invocationId: 'ignored', result: 42 }) }
        : r.headers['x-asrs-event'] === 'fail'
          ? { status: 500 }
          : { status: 200 };
    const conn = await connect('bob', transport, protocol);
    try {
      if (protocol === 'json') expect(await conn.invoke('add', 40, 2)).toBe(42);
      else expect(await conn.invoke('noop')).toBeUndefined();
      await expect(conn.invoke('fail')).rejects.toThrow(/500/);
    } finally {
      await conn.stop();
    }
  });
});

describe('groups, users and REST operations', () => {
  it('delivers to a user, a group and a connection, honours excluded, and answers the existence checks', async () => {
    const a = await connect('ann', 'WebSockets', 'json');
    const b = await connect('ben', 'WebSockets', 'messagepack');
    const c = await connect('ann', 'LongPolling', 'json');
    try {
      expect((await restCall('HEAD', hubUrl(`/connections/${a.connectionId}`))).status).toBe(200);
      expect((await restCall('HEAD', hubUrl('/connections/nope'))).status).toBe(404);
      expect((await restCall('HEAD', hubUrl('/users/ann'))).status).toBe(200);
      expect((await restCall('HEAD', hubUrl('/users/nobody'))).status).toBe(404);

      // A user: both of ann's connections, not ben's.
      const seen: string[] = [];
      for (const [name, conn] of [
        ['a', a],
        ['b', b],
        ['c', c],
      ] as const)
        conn.on('u', () => seen.push(name));
      expect((await restCall('POST', hubUrl('/users/ann/:send'), { target: 'u', arguments: [] })).status).toBe(202);
      await until(() => (seen.length >= 2 ? true : undefined));

      // A group of connections, one excluded.
      expect((await restCall('HEAD', hubUrl('/groups/room'))).status).toBe(404);
      expect((await restCall('PUT', hubUrl(`/groups/room/connections/${a.connectionId}`))).status).toBe(200);
      expect((await restCall('PUT', hubUrl(`/groups/room/connections/${b.connectionId}`))).status).toBe(200);
      expect((await restCall('PUT', hubUrl('/groups/room/connections/unknown'))).status).toBe(404);
      expect((await restCall('HEAD', hubUrl('/groups/room'))).status).toBe(200);
      const toB = nextMessage(b, 'g');
      const gotA: unknown[] = [];
      a.on('g', (x) => gotA.push(x));
      expect((await restCall('POST', hubUrl(`/groups/room/:send?excluded=${a.connectionId}`), { target: 'g', arguments: ['x'] })).status).toBe(202);
      expect(await toB).toEqual(['x']);
      const toConn = nextMessage(a, 'direct');
      expect((await restCall('POST', hubUrl(`/connections/${a.connectionId}/:send`), { target: 'direct', arguments: [1] })).status).toBe(202);
      expect(await toConn).toEqual([1]);
      expect(gotA).toEqual([]);

      // A user in a group: membership follows the user's connections.
      expect((await restCall('HEAD', hubUrl('/users/ben/groups/vip'))).status).toBe(404);
      expect((await restCall('PUT', hubUrl('/users/ben/groups/vip'))).status).toBe(200);
      expect((await restCall('HEAD', hubUrl('/users/ben/groups/vip'))).status).toBe(200);
      const vip = nextMessage(b, 'vip');
      await restCall('POST', hubUrl('/groups/vip/:send'), { target: 'vip', arguments: [true] });
      expect(await vip).toEqual([true]);
      expect((await restCall('DELETE', hubUrl('/users/ben/groups/vip'))).status).toBe(200);
      expect((await restCall('HEAD', hubUrl('/users/ben/groups/vip'))).status).toBe(404);

      expect((await restCall('DELETE', hubUrl(`/groups/room/connections/${b.connectionId}`))).status).toBe(200);
      expect((await restCall('DELETE', hubUrl(`/connections/${a.connectionId}/groups`))).status).toBe(200);
      expect((await restCall('HEAD', hubUrl('/groups/room'))).status).toBe(404);

      // Closing a connection ends it on the client with the reason.
      const closed = new Promise<Error | undefined>((r) => b.onclose((e) => r(e)));
      expect((await restCall('DELETE', hubUrl(`/connections/${b.connectionId}?reason=bye`))).status).toBe(200);
      expect((await closed)?.message).toContain('bye');
      expect((await restCall('HEAD', hubUrl(`/connections/${b.connectionId}`))).status).toBe(404);

      const closedUser = Promise.all([a, c].map((x) => new Promise<void>((r) => x.onclose(() => r()))));
      expect((await restCall('POST', hubUrl('/users/ann/:closeConnections'))).status).toBe(204);
      await closedUser;
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });

  it('refuses REST calls without a valid token, with a wrong audience, or an unknown api-version', async () => {
    const url = hubUrl('/:send');
    expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await restCall('POST', url, { target: 't', arguments: [] }, 'wrong-key')).status).toBe(401);
    const other = await restCall('POST', hubUrl('/:send').replace('/api/hubs/chat/', '/api/hubs/other/'), { target: 't', arguments: [] });
    expect(other.status).toBe(202);
    // A token for another hub's URL does not open this one.
    const otherToken = await restToken(url.replace('/api/hubs/chat/', '/api/hubs/other/'));
    const wrongAud = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${otherToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: 't', arguments: [] }),
    });
    expect(wrongAud.status).toBe(401);
    expect((await restCall('POST', `${emu.endpoint}/api/hubs/chat/:send?api-version=1999-01-01`, { target: 't', arguments: [] })).status).toBe(400);
    expect((await restCall('POST', url, { arguments: [] })).status).toBe(400);
  });
});

describe('client authentication', () => {
  it('refuses negotiate with a token for another hub, a wrong key, or none', async () => {
    const negotiate = (token?: string) =>
      fetch(`${emu.endpoint}/client/negotiate?hub=chat&negotiateVersion=1`, { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {} });
    expect((await negotiate()).status).toBe(401);
    expect((await negotiate(await clientToken(emu.endpoint, 'other', 'u'))).status).toBe(401);
    expect((await negotiate(await clientToken(emu.endpoint, 'chat', 'u', 'wrong-key'))).status).toBe(401);
    expect((await negotiate(await clientToken(emu.endpoint, 'chat', 'u', TEST_KEY, -60))).status).toBe(401);
    const ok = await negotiate(await clientToken(emu.endpoint, 'chat', 'u'));
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { negotiateVersion: number; connectionId: string; connectionToken: string; availableTransports: { transport: string }[] };
    expect(body.negotiateVersion).toBe(1);
    expect(body.connectionToken).not.toBe(body.connectionId);
    expect(body.availableTransports.map((t) => t.transport)).toEqual(['WebSockets', 'ServerSentEvents', 'LongPolling']);
  });

  it('refuses a transport request whose token belongs to another user than the negotiated connection', async () => {
    const res = await fetch(`${emu.endpoint}/client/negotiate?hub=chat&negotiateVersion=1`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await clientToken(emu.endpoint, 'chat', 'owner')}` },
    });
    const { connectionToken } = (await res.json()) as { connectionToken: string };
    const poll = await fetch(`${emu.endpoint}/client/?hub=chat&id=${connectionToken}`, {
      headers: { Authorization: `Bearer ${await clientToken(emu.endpoint, 'chat', 'thief')}` },
    });
    expect(poll.status).toBe(404);
  });
});
