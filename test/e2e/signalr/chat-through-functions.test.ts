import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as signalR from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { startSignalREmulator, type RunningSignalREmulator } from '../../../emulator/signalr/signalr-server';
import { DEV_KEY } from '../../support/functions-harness';
import { spawnGroup, type GroupProcess } from '../../support/process-group';
import { repoRoot } from '../../support/stack';
import { nextMessage, type ProtocolName } from '../../support/signalr-clients';

/**
 * The whole SignalR path with real processes: the official client calls the functions app's
 * /api/signalr/negotiate, follows the redirect to the SignalR emulator, and the chat hub code runs in
 * the functions app behind /api/signalr/events, answering through the REST data plane.
 */

const SECONDARY = 'SignalR-Secondary-Key-For-Rotation-0123456789';
let emu: RunningSignalREmulator;
let host: GroupProcess;
let functionsBase: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

beforeAll(async () => {
  const functionsPort = await freePort();
  functionsBase = `http://localhost:${functionsPort}`;
  emu = await startSignalREmulator({ port: 0, keys: [DEV_KEY, SECONDARY], upstreams: { '*': `${functionsBase}/api/signalr/events` } });
  host = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'local-host', 'main.js'), '--port', String(functionsPort), '--app', repoRoot], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      NegotiateAuth: 'dev',
      WebPubSubConnectionString: `Endpoint=http://localhost;Port=1;AccessKey=${DEV_KEY};Version=1.0;`,
      AzureSignalRConnectionString: emu.connectionString,
      AzureSignalRSecondaryAccessKey: SECONDARY,
    },
  });
  await host.waitForOutput(/Host listening on/);
}, 60_000);

afterAll(async () => {
  await emu?.close();
  await host?.stop('SIGTERM');
});

function chatClient(userId: string, protocol: ProtocolName = 'json'): signalR.HubConnection {
  const builder = new signalR.HubConnectionBuilder()
    .withUrl(`${functionsBase}/api/signalr?userId=${encodeURIComponent(userId)}`, { transport: signalR.HttpTransportType.WebSockets })
    .configureLogging(signalR.LogLevel.None);
  if (protocol === 'messagepack') builder.withHubProtocol(new MessagePackHubProtocol());
  return builder.build();
}

it('negotiate answers the redirect { url, accessToken } to the service client endpoint', async () => {
  const res = await fetch(`${functionsBase}/api/signalr/negotiate?negotiateVersion=1&userId=alice`, { method: 'POST' });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { url: string; accessToken: string };
  expect(body.url).toBe(`${emu.endpoint}/client/?hub=chat`);
  const payload = JSON.parse(Buffer.from(body.accessToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  expect(payload).toMatchObject({ aud: body.url, nameid: 'alice' });
  expect((await fetch(`${functionsBase}/api/signalr/negotiate?negotiateVersion=1`, { method: 'POST' })).status).toBe(400);
  expect((await fetch(`${functionsBase}/api/signalr/negotiate?userId=a&hub=unknown`, { method: 'POST' })).status).toBe(400);
});

it.each<ProtocolName>(['json', 'messagepack'])('chats over SignalR (%s): announcements, broadcast, rooms', async (protocol) => {
  const ann = chatClient('ann', protocol);
  const bob = chatClient('bob', 'json');
  const seenByAnn: unknown[] = [];
  ann.on('system', (m) => seenByAnn.push(m));
  await ann.start();
  const bobJoined = (async () => {
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      if (seenByAnn.some((m) => (m as { userId?: string }).userId === 'bob')) return;
    }
  })();
  await bob.start();
  try {
    await bobJoined;
    expect(seenByAnn).toContainEqual({ system: 'joined', userId: 'bob' });

    const toBob = nextMessage(bob, 'message');
    await ann.send('message', { text: 'hello everyone' });
    const [m] = (await toBob) as [{ from: string; text: string; at: string }];
    expect(m).toMatchObject({ from: 'ann', text: 'hello everyone' });
    expect(Number.isNaN(Date.parse(m.at))).toBe(false);

    // Rooms: only members receive a room message, with its group.
    const joinedRoom = nextMessage(bob, 'system');
    await bob.send('join', 'lobby');
    expect((await joinedRoom)[0]).toEqual({ system: 'joined', userId: 'bob', group: 'lobby' });
    const annGot: unknown[] = [];
    ann.on('message', (x) => annGot.push(x));
    const roomMsg = nextMessage(bob, 'message');
    await ann.send('message', { text: 'psst', group: 'lobby' });
    expect((await roomMsg)[0]).toMatchObject({ from: 'ann', text: 'psst', group: 'lobby' });
    expect(annGot).toEqual([]);

    // A bad message is refused by the hub code: invoke surfaces the error to the caller.
    await expect(ann.invoke('message', { text: '' })).rejects.toThrow(/400/);

    const left = nextMessage(ann, 'system');
    await bob.stop();
    expect((await left)[0]).toEqual({ system: 'left', userId: 'bob' });
  } finally {
    await Promise.all([ann.stop(), bob.stop()]);
  }
});

it('publishes through the REST data plane to everyone, a user and a group', async () => {
  const carl = chatClient('carl');
  await carl.start();
  try {
    const all = nextMessage(carl, 'notice');
    const r = await fetch(`${functionsBase}/api/signalr/publish`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: 'notice', arguments: ['to all'] }),
    });
    expect(r.status).toBe(202);
    expect(await all).toEqual(['to all']);
    const user = nextMessage(carl, 'notice');
    expect(
      (
        await fetch(`${functionsBase}/api/signalr/publish`, {
          method: 'POST',
          body: JSON.stringify({ user: 'carl', target: 'notice', arguments: [1, { a: 2 }] }),
        })
      ).status,
    ).toBe(202);
    expect(await user).toEqual([1, { a: 2 }]);
    expect(
      (await fetch(`${functionsBase}/api/signalr/publish`, { method: 'POST', body: JSON.stringify({ user: 'carl', group: 'g', target: 'x' }) })).status,
    ).toBe(400);
  } finally {
    await carl.stop();
  }
});

it('refuses upstream requests whose signature matches no key, and accepts the secondary key', async () => {
  const sign = (key: string, id: string) => `sha256=${createHmac('sha256', key).update(id).digest('hex')}`;
  const post = (signature: string | undefined) =>
    fetch(`${functionsBase}/api/signalr/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-ASRS-Hub': 'chat',
        'X-ASRS-Connection-Id': 'conn-x',
        'X-ASRS-Category': 'connections',
        'X-ASRS-Event': 'connected',
        ...(signature !== undefined ? { 'X-ASRS-Signature': signature } : {}),
      },
    });
  expect((await post(undefined)).status).toBe(401);
  expect((await post(sign('wrong-key', 'conn-x'))).status).toBe(401);
  // Signed for another connection id: refused.
  expect((await post(sign(DEV_KEY, 'conn-y'))).status).toBe(401);
  expect((await post(sign(SECONDARY, 'conn-x'))).status).toBe(200);
  expect((await post(`${sign('old', 'conn-x')},${sign(DEV_KEY, 'conn-x')}`)).status).toBe(200);
});
