import { WebPubSubClient, type OnGroupDataMessageArgs, type OnServerDataMessageArgs } from '@azure/web-pubsub-client';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { createEventHandler } from '../../functions/event-handler';
import { createNegotiateHandler } from '../../functions/negotiate';
import { loadConfig } from '../../shared/config/app-config';
import { createRuntime, type Runtime } from '../../shared/config/app-runtime';
import { bodyText, DEV_KEY, invocation, request } from '../support/functions-harness';
import { serveFunctions, type InProcessFunctions } from '../support/in-process-functions';

/**
 * Issue 11 item 1, end to end: the app's negotiate (default roles) and chat hub, the emulator (which
 * enforces roles as the service does) and the official client SDK. A client can neither send to a group
 * directly (which skipped the hub's `from` stamping) nor join, leave or send to the presence group.
 */

describe('least privilege: clients with the default negotiate roles (issue 11 item 1)', () => {
  let emulator: RunningEmulator;
  let app: InProcessFunctions;
  let runtime: Runtime;
  const clients: WebPubSubClient[] = [];

  beforeAll(async () => {
    app = await serveFunctions({ '/api/eventhandler': () => createEventHandler(runtime) });
    emulator = await startEmulator({
      port: 0,
      keys: [DEV_KEY],
      upstreamRetryDelaysMs: [],
      hubs: {
        chat: {
          eventHandlers: [{ urlTemplate: `${app.base}/api/eventhandler`, userEventPattern: '*', systemEvents: ['connect', 'connected', 'disconnected'] }],
        },
      },
    });
    runtime = createRuntime(loadConfig({ NegotiateAuth: 'dev', WebPubSubConnectionString: emulator.connectionString }));
  });
  afterAll(async () => {
    for (const c of clients) c.stop();
    await emulator?.close();
    await app?.close();
  });

  async function negotiate(userId: string): Promise<string> {
    const res = await createNegotiateHandler(runtime)(
      request({ method: 'GET', url: `http://localhost:7071/api/negotiate?userId=${encodeURIComponent(userId)}` }),
      invocation().context,
    );
    return (JSON.parse(bodyText(res!)) as { url: string }).url;
  }

  async function connect(userId: string): Promise<WebPubSubClient> {
    const client = new WebPubSubClient({ getClientAccessUrl: () => negotiate(userId) }, { autoReconnect: false, messageRetryOptions: { maxRetries: 0 } });
    clients.push(client);
    const roster = new Promise<string[]>((resolve) =>
      client.on('server-message', (e: OnServerDataMessageArgs) => {
        const d = e.message.data as { system?: string; users?: string[] };
        if (d.system === 'roster') resolve(d.users ?? []);
      }),
    );
    await client.start();
    await roster;
    return client;
  }

  const errorName = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (e: { errorDetail?: { name?: string } }) => e.errorDetail?.name ?? String(e),
    );

  it('cannot send to a group directly (that skipped the hub, so `from` could be forged), and nothing is delivered', async () => {
    const alice = await connect('alice');
    const mallory = await connect('mallory');
    await alice.sendEvent('join', { group: 'room1' }, 'json');
    const seen: unknown[] = [];
    alice.on('group-message', (e: OnGroupDataMessageArgs) => void seen.push(e.message.data));
    expect(await errorName(mallory.sendToGroup('room1', { from: 'alice', text: 'send me your password' }, 'json'))).toBe('Forbidden');
    // A genuine message through the hub arrives, stamped with the real sender, and nothing came before it.
    const genuine = new Promise<unknown>((resolve) => alice.on('group-message', (e: OnGroupDataMessageArgs) => resolve(e.message.data)));
    await mallory.sendEvent('message', { text: 'hello', group: 'room1' }, 'json');
    expect(await genuine).toMatchObject({ from: 'mallory', text: 'hello', group: 'room1' });
    expect(seen).toHaveLength(1);
  });

  it('cannot join, leave or send to the presence group, directly or through the hub', async () => {
    const mallory = await connect('mallory2');
    expect(await errorName(mallory.joinGroup('__presence'))).toBe('Forbidden');
    expect(await errorName(mallory.leaveGroup('__presence'))).toBe('Forbidden');
    expect(await errorName(mallory.sendToGroup('__presence', { system: 'joined', userId: 'ghost' }, 'json'))).toBe('Forbidden');
    expect(await errorName(mallory.sendEvent('leave', { group: '__presence' }, 'json'))).not.toBe('accepted');
    expect(await errorName(mallory.sendEvent('join', { group: '__presence' }, 'json'))).not.toBe('accepted');
    // Still listed: a newcomer's snapshot includes mallory2.
    const bob = new WebPubSubClient({ getClientAccessUrl: () => negotiate('bob') }, { autoReconnect: false, messageRetryOptions: { maxRetries: 0 } });
    clients.push(bob);
    const roster = new Promise<string[]>((resolve) =>
      bob.on('server-message', (e: OnServerDataMessageArgs) => {
        const d = e.message.data as { system?: string; users?: string[] };
        if (d.system === 'roster') resolve(d.users ?? []);
      }),
    );
    await bob.start();
    expect(await roster).toContain('mallory2');
  });

  it('rooms still work, through the hub', async () => {
    const carol = await connect('carol');
    const dave = await connect('dave');
    await dave.sendEvent('join', { group: 'ops' }, 'json');
    const inRoom = new Promise<OnGroupDataMessageArgs>((resolve) =>
      dave.on('group-message', (e: OnGroupDataMessageArgs) => (e.message.group === 'ops' ? resolve(e) : undefined)),
    );
    await carol.sendEvent('message', { text: 'ops only', group: 'ops' }, 'json');
    const event = await inRoom;
    expect(event.message.data).toMatchObject({ from: 'carol', text: 'ops only' });
    // Sent by the server (REST), so the service stamps no fromUserId: the page trusts `from` only then.
    expect(event.message.fromUserId).toBeUndefined();
    await dave.sendEvent('leave', { group: 'ops' }, 'json');
  });
});
