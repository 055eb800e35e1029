import { join } from 'node:path';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import * as signalR from '@microsoft/signalr';
import { descendantsOf, isRunning, spawnGroup, type GroupProcess } from '../../support/process-group';
import { repoRoot } from '../../support/stack';
import { nextMessage } from '../../support/signalr-clients';

/** `npm run start:signalr` (dist/start.js --signalr) on free ports, used by the official client as a user would. */

let proc: GroupProcess;
let children: number[] = [];

afterAll(async () => {
  await proc?.stop('SIGINT');
  for (const pid of children.filter(isRunning)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

it('runs the stack in SignalR mode and the chat works through it', async () => {
  proc = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'start.js'), '--signalr'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', EMULATOR_PORT: '0' },
  });
  await proc.waitForOutput(/Press Ctrl-C to stop everything/);
  children = descendantsOf(proc.pid);
  const [, hubUrl] = await proc.waitForOutput(/Hub URL: +(http:\/\/localhost:\d+\/api\/signalr)\?userId=alice/);
  const [, emulatorPort] = await proc.waitForOutput(/SignalR: +http:\/\/localhost:(\d+)/);
  expect((await fetch(`http://localhost:${emulatorPort}/api/health`)).status).toBe(200);

  const client = (user: string) => new signalR.HubConnectionBuilder().withUrl(`${hubUrl}?userId=${user}`).configureLogging(signalR.LogLevel.None).build();
  const ann = client('ann');
  const bob = client('bob');
  await ann.start();
  await bob.start();
  try {
    const got = nextMessage(bob, 'message');
    await ann.send('message', { text: 'over SignalR' });
    expect((await got)[0]).toMatchObject({ from: 'ann', text: 'over SignalR' });
  } finally {
    await Promise.all([ann.stop(), bob.stop()]);
  }

  // Web PubSub is served too, on the second emulator port, and the page is told to use SignalR.
  const functionsBase = hubUrl!.replace(/\/api\/signalr$/, '');
  expect(await (await fetch(`${functionsBase}/api/chat-config`)).json()).toEqual({ service: 'signalr' });
  const [, webPubSubPort] = await proc.waitForOutput(/Web PubSub: +http:\/\/localhost:(\d+)/);
  expect(webPubSubPort).not.toBe(emulatorPort);
  const wps = new WebPubSubClient({
    getClientAccessUrl: async () => ((await (await fetch(`${functionsBase}/api/negotiate?userId=carol`)).json()) as { url: string }).url,
  });
  const connected = new Promise<string | undefined>((resolve) => wps.on('connected', (e) => resolve(e.userId)));
  await wps.start();
  try {
    expect(await connected).toBe('carol');
  } finally {
    wps.stop();
  }
}, 90_000);
