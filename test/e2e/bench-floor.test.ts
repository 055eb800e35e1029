/**
 * The round trip's floor (bench/servers/floor-round-trip.mjs) is only a fair physical limit if it does the
 * real pipeline's work: a client event must make the whole trip, and the floor must refuse a wrong
 * ce-signature and a wrong or misdirected REST token, as the emulator and the app do.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { spawnGroup, type GroupProcess } from '../support/process-group';

const root = join(__dirname, '..', '..');
const script = join(root, 'bench', 'servers', 'floor-round-trip.mjs');
const KEY = 'floor-test-key-0123456789';

function jwt(payload: object): string {
  const body = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', createSecretKey(Buffer.from(KEY)))
    .update(body)
    .digest('base64url')}`;
}
const signature = (connectionId: string, key = KEY) => `sha256=${createHmac('sha256', key).update(connectionId).digest('hex')}`;

/** A loopback port that was free a moment ago (the service must know it before the upstream starts). */
function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

describe('bench floor: bare node:http + ws round trip', () => {
  let service: GroupProcess;
  let upstream: GroupProcess;
  let servicePort: number;
  let upstreamUrl: string;

  beforeAll(async () => {
    const env = { PATH: process.env.PATH };
    servicePort = await probePort();
    upstream = spawnGroup(process.execPath, [script, '--role', 'upstream', '--port', '0', '--key', KEY, '--service', `http://127.0.0.1:${servicePort}`], {
      cwd: root,
      env,
    });
    const [, up] = await upstream.waitForOutput(/floor upstream listening on (\d+)/);
    upstreamUrl = `http://127.0.0.1:${up}/`;
    service = spawnGroup(process.execPath, [script, '--role', 'service', '--port', String(servicePort), '--key', KEY, '--upstream', upstreamUrl], {
      cwd: root,
      env,
    });
    await service.waitForOutput(/floor service listening on \d+/);
  });
  afterAll(async () => {
    await Promise.all([service?.stop('SIGTERM'), upstream?.stop('SIGTERM')]);
  });

  it('carries a client event through the upstream and the REST send back to the client', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt({ aud: `http://127.0.0.1:${servicePort}/client/hubs/chat`, exp: now + 60, sub: 'ada' });
    const ws = new WebSocket(`ws://127.0.0.1:${servicePort}/client/hubs/chat?access_token=${token}`, 'json.webpubsub.azure.v1');
    const frames: Record<string, unknown>[] = [];
    const next = () => new Promise<Record<string, unknown>>((resolve) => ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()))));
    try {
      const connected = await next();
      expect(connected).toEqual(expect.objectContaining({ type: 'system', event: 'connected', userId: 'ada' }));
      ws.send('{"type":"joinGroup","group":"room","ackId":1}');
      frames.push(await next());
      ws.send('{"type":"event","event":"message","dataType":"json","data":{"text":"hi","group":"room"}}');
      frames.push(await next());
    } finally {
      ws.close();
    }
    expect(frames[0]).toEqual({ type: 'ack', ackId: 1, success: true });
    expect(frames[1]).toEqual({
      type: 'message',
      from: 'server',
      dataType: 'json',
      data: { from: 'ada', text: 'hi', group: 'room', at: expect.any(String) },
    });
  });

  it('refuses a client whose token is not signed with the key', async () => {
    const bad = jwt({ aud: `http://127.0.0.1:${servicePort}/client/hubs/chat`, exp: Math.floor(Date.now() / 1000) + 60 }).slice(0, -2) + 'xx';
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${servicePort}/client/hubs/chat?access_token=${bad}`, 'json.webpubsub.azure.v1');
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('upstream: checks ce-signature against the connection id (any entry of a rotated-key list)', async () => {
    const post = (sig: string) =>
      fetch(upstreamUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'ce-connectionid': 'c1', 'ce-eventname': 'other', 'ce-signature': sig },
        body: '{}',
      });
    expect((await post(signature('c1', 'another-key'))).status).toBe(401);
    expect((await post(signature('c2'))).status).toBe(401);
    expect((await post(`${signature('c1', 'old-key')},${signature('c1')}`)).status).toBe(204);
  });

  it('service: REST send needs an HS256 token for this URL, unexpired, signed with the key', async () => {
    const url = `http://127.0.0.1:${servicePort}/api/hubs/chat/:send?api-version=2024-01-01`;
    const now = Math.floor(Date.now() / 1000);
    const send = (token: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"a":1}' });
    expect((await send(jwt({ aud: url, exp: now + 60 }))).status).toBe(202);
    expect((await send(jwt({ aud: url.replace(':send', 'groups/x/:send'), exp: now + 60 }))).status).toBe(401);
    expect((await send(jwt({ aud: url, exp: now - 60 }))).status).toBe(401);
    expect((await send(`${jwt({ aud: url, exp: now + 60 }).slice(0, -2)}xx`)).status).toBe(401);
  });
});
