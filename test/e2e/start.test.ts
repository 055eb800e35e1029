import { occupyPort } from '../support/busy-port';
/**
 * `npm start` end to end: dist/start.js runs the emulator and the local Functions host on free ports;
 * the official client chats through them; Ctrl-C (SIGINT) leaves no process behind.
 */
import { WebPubSubClient, type OnServerDataMessageArgs, type OnGroupDataMessageArgs } from '@azure/web-pubsub-client';
import { request } from 'node:http';
import { join } from 'node:path';
import { isRunning, spawnGroup } from '../support/process-group';
import * as signalR from '@microsoft/signalr';
import { nextMessage } from '../support/signalr-clients';
import { repoRoot, startStack, type RunningStack } from '../support/stack';

/** Resolves with the first event `name` whose payload satisfies `accept`. */
function nextEvent<T>(client: WebPubSubClient, name: 'server-message' | 'group-message', accept: (e: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const listener = (e: T) => {
      if (!accept(e)) return;
      client.off(name as 'server-message', listener as unknown as (e: OnServerDataMessageArgs) => void);
      resolve(e);
    };
    client.on(name as 'server-message', listener as unknown as (e: OnServerDataMessageArgs) => void);
  });
}

function dataOf(e: OnServerDataMessageArgs | OnGroupDataMessageArgs): Record<string, unknown> {
  return (typeof e.message.data === 'object' && e.message.data !== null ? e.message.data : {}) as Record<string, unknown>;
}

describe('npm start (dist/start.js)', () => {
  let stack: RunningStack;
  const clients: WebPubSubClient[] = [];

  function connect(userId: string): WebPubSubClient {
    const client = new WebPubSubClient(
      {
        getClientAccessUrl: async () => {
          const res = await fetch(`${stack.functionsBase}/api/negotiate?userId=${encodeURIComponent(userId)}`);
          return ((await res.json()) as { url: string }).url;
        },
        // the client keeps its keepalive and timeout-monitor timers running for one interval after
        // stop() (20 s and 40 s by default); short intervals let the jest worker exit promptly.
      },
      { keepAliveIntervalInMs: 250, keepAliveTimeoutInMs: 3000 } as ConstructorParameters<typeof WebPubSubClient>[1],
    );
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    clients.forEach((c) => c.stop());
    await stack?.stop('SIGKILL');
  });

  it('starts the emulator and the Functions host as children and prints how to use them', () => {
    expect(stack.childPids.length).toBeGreaterThanOrEqual(2);
    const out = stack.process.stdout();
    expect(out).toContain(`Negotiate:   ${stack.functionsBase}/api/negotiate?userId=alice`);
    expect(out).toContain(`curl -X POST ${stack.functionsBase}/api/publish`);
    expect(out).toContain(`connection string: Endpoint=http://localhost;Port=${stack.emulatorPort};AccessKey=`);
  });

  it('negotiates, connects, and chats through the hub', async () => {
    const alice = connect('alice');
    const bob = connect('bob');
    await alice.start();
    await bob.start();
    const seenByBob = nextEvent<OnServerDataMessageArgs>(bob, 'server-message', (e) => dataOf(e).text === 'hello from alice');
    await alice.sendEvent('message', { text: 'hello from alice' }, 'json');
    expect(dataOf(await seenByBob)).toMatchObject({ from: 'alice', text: 'hello from alice' });
  });

  it('delivers a room message to members of the room', async () => {
    const [alice, bob] = clients as [WebPubSubClient, WebPubSubClient];
    // Clients hold no group roles: rooms are joined through the hub.
    await bob.sendEvent('join', { group: 'ops' }, 'json');
    const inRoom = nextEvent<OnGroupDataMessageArgs>(bob, 'group-message', (e) => dataOf(e).text === 'ops only');
    await alice.sendEvent('message', { text: 'ops only', group: 'ops' }, 'json');
    const event = await inRoom;
    expect(event.message.group).toBe('ops');
    expect(dataOf(event)).toMatchObject({ from: 'alice', text: 'ops only' });
  });

  it('publishes through /api/publish to connected clients', async () => {
    const [, bob] = clients as [WebPubSubClient, WebPubSubClient];
    const received = nextEvent<OnServerDataMessageArgs>(bob, 'server-message', (e) => dataOf(e).text === 'from the publish API');
    const res = await fetch(`${stack.functionsBase}/api/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { from: 'curl', text: 'from the publish API' } }),
    });
    expect(res.status).toBe(202);
    expect(dataOf(await received)).toEqual({ from: 'curl', text: 'from the publish API' });
  });

  it('serves SignalR Service clients at the same time, and tells the page to use Web PubSub', async () => {
    expect(await (await fetch(`${stack.functionsBase}/api/chat-config`)).json()).toEqual({ service: 'webpubsub' });
    const [, signalrPort] = /SignalR: +http:\/\/localhost:(\d+)/.exec(stack.process.stdout())!;
    expect(Number(signalrPort)).not.toBe(stack.emulatorPort);
    const connect = (user: string) =>
      new signalR.HubConnectionBuilder().withUrl(`${stack.functionsBase}/api/signalr?userId=${user}`).configureLogging(signalR.LogLevel.None).build();
    const [ann, bob] = [connect('ann'), connect('bob')];
    await ann.start();
    await bob.start();
    try {
      const got = nextMessage(bob, 'message');
      await ann.invoke('message', { text: 'SignalR beside Web PubSub' });
      expect((await got)[0]).toMatchObject({ from: 'ann', text: 'SignalR beside Web PubSub' });
    } finally {
      await Promise.all([ann.stop(), bob.stop()]);
    }
  });

  it('serves the chat page at / and at /api/chat/', async () => {
    for (const url of [`${stack.functionsBase}/`, `${stack.functionsBase}/api/chat/`]) {
      const res = await fetch(url);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('<script defer src="chat.js"></script>');
    }
    const js = await fetch(`${stack.functionsBase}/api/chat/chat.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${stack.functionsBase}/api/chat`, { redirect: 'manual' })).headers.get('location')).toBe('/api/chat/');
    expect((await fetch(`${stack.functionsBase}/api/chat/..%2F..%2Flocal.settings.sample.json`)).status).toBe(404);
  });

  it("relays each child's lines with its name in front, as the children wrote them", async () => {
    // The chat above went through the event handler: its lines are on their way, if not here yet.
    await stack.process.waitForOutput(
      /\[functions\] \[[^\]]+\] Executed 'Functions\.eventhandler' \(Succeeded, Id=[0-9a-f-]+, Duration=\d+ms\) 204 POST \/api\/eventhandler\n/,
    );
    // The emulator logs the upstream's answer once it has arrived, after the host's line: wait for it too.
    await stack.process.waitForOutput(
      /^\[emulator\] \d\d:\d\d:\d\d\.\d{3} upstream message hub=chat id=\S+ http:\/\/localhost:\d+\/api\/eventhandler 204 \d+ms$/m,
    );
    const out = stack.process.stdout();
    expect(out).toMatch(/^\[emulator\] \d\d:\d\d:\d\d\.\d{3} open hub=chat id=\S+ user=alice /m);
    // Every line carries exactly one prefix: none is split across two writes or left without one.
    for (const line of out.split('\n').filter(Boolean)) expect(line).toMatch(/^(?:\[(?:emulator|functions)\] (?!\[(?:emulator|functions)\])|[^[])/);
  });

  it('stops every child on Ctrl-C (SIGINT) and exits 0', async () => {
    clients.forEach((c) => c.stop());
    const exit = await stack.process.stop('SIGINT');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stack.process.stdout()).toContain('Stopped.');
    expect(stack.childPids.filter(isRunning)).toEqual([]);
  });
});

describe('npm start -- --quiet', () => {
  it('leaves out the line per connection, event and request, and still shows refusals', async () => {
    const stack = await startStack({}, ['--quiet']);
    const client = new WebPubSubClient({
      getClientAccessUrl: async () => ((await (await fetch(`${stack.functionsBase}/api/negotiate?userId=carol`)).json()) as { url: string }).url,
    });
    try {
      await client.start();
      const echoed = nextEvent<OnServerDataMessageArgs>(client, 'server-message', (e) => dataOf(e).text === 'quietly');
      await client.sendEvent('message', { text: 'quietly' }, 'json');
      await echoed;
      // A token the emulator refuses: its reject line is not traffic.
      const refused = await new Promise<number>((resolve, reject) => {
        const req = request(`http://localhost:${stack.emulatorPort}/client/hubs/chat?access_token=not-a-token`, {
          headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
        });
        req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
        req.on('upgrade', () => reject(new Error('the emulator accepted a bad token')));
        req.on('error', reject);
        req.end();
      });
      expect(refused).toBe(401);
      await stack.process.waitForOutput(/\[emulator\] \d\d:\d\d:\d\d\.\d{3} reject \S+ 401/);
    } finally {
      client.stop();
      await stack.stop('SIGINT');
    }
    const out = stack.process.stdout() + stack.process.stderr();
    expect(out).toContain('Press Ctrl-C to stop everything');
    expect(out).not.toMatch(/\[emulator\] \S+ (?:open|close|upstream message|rest POST) /);
    expect(out).not.toMatch(/Executed 'Functions\.\w+' \(Succeeded/);
  });
});

describe('npm start failures', () => {
  const busy = occupyPort();

  it.each(['PORT', 'EMULATOR_PORT', 'EMULATOR_SECOND_PORT'])('prints one line naming %s when its port is taken, and exits 1', async (variable) => {
    const proc = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'start.js')], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, PORT: '0', EMULATOR_PORT: '0', [variable]: String(busy.port()) },
    });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    expect(proc.stderr().trim()).toBe(`Port ${busy.port()} is already in use. Set ${variable} to another port (e.g. ${variable}=0 for any free port).`);
  });

  it('takes the whole stack down, naming the child, when one child dies', async () => {
    const stack = await startStack();
    try {
      const [emulatorPid] = stack.childPids.filter((pid) => isRunning(pid));
      // The first child started is the emulator (start.ts starts it first).
      process.kill(emulatorPid!, 'SIGKILL');
      const exit = await stack.process.exited;
      expect(exit.code).toBe(1);
      expect(stack.process.stderr()).toMatch(/\("emulator"\) stopped unexpectedly \(signal SIGKILL\); stopping the rest/);
      expect(stack.childPids.filter(isRunning)).toEqual([]);
    } finally {
      await stack.stop('SIGKILL');
    }
  });

  it("stops with the app's message naming the setting when a setting is wrong (the app answers 500 rather than failing to load)", async () => {
    const proc = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'start.js')], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, PORT: '0', EMULATOR_PORT: '0', WebPubSubTokenLifetimeMinutes: '0' },
    });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    expect(proc.stderr()).toMatch(
      /The Functions app started but cannot serve requests: This Functions app is not configured correctly\. Fix the application setting WebPubSubTokenLifetimeMinutes /,
    );
    expect(proc.stdout()).not.toContain('The Web PubSub chat is running');
  });
});
